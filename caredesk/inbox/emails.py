# ruff: noqa: E501 (email copy reads better unwrapped)
"""Ticket emails: the acknowledgement a guest receives with their reference, and a staff
reply. The templates live with every other email template (comms `EmailTemplate`, editable on
the email templates page, in English and Filipino); this module adds their codes, their
documented variables and the seed rows, and queues them through the comms outbox."""

from typing import Any

ACK = "ticket_received"
REPLY = "ticket_reply"

_TICKET = {
    "ticket.reference": "The ticket reference, e.g. C-000123",
    "ticket.subject": "The ticket subject",
    "ticket.kind": "What the ticket is, in words (complaint, service request, ...)",
    "guest.name": "The guest's name as they gave it",
}
VARIABLES = {
    ACK: _TICKET,
    REPLY: {**_TICKET, "reply.body": "The staff member's reply"},
}

KIND_WORDS = {
    "en": {
        "complaint": "complaint",
        "service": "service request",
        "career": "job application",
        "issue": "issue",
    },
    "fil": {
        "complaint": "reklamo",
        "service": "kahilingan sa serbisyo",
        "career": "aplikasyon sa trabaho",
        "issue": "isyu",
    },
}

SEED = {
    (ACK, "en"): (
        "[{{ ticket.reference }}] We received your {{ ticket.kind }}",
        "Hi {{ guest.name }},\n\nThank you for contacting {{ business.name }}. We received your {{ ticket.kind }} and gave it the reference {{ ticket.reference }}.\n\nSubject: {{ ticket.subject }}\n\nWe will get back to you soon. To add anything, simply reply to this email and keep {{ ticket.reference }} in the subject.\n\n{{ business.name }} · {{ business.phone }}\n",
    ),
    (ACK, "fil"): (
        "[{{ ticket.reference }}] Natanggap namin ang iyong {{ ticket.kind }}",
        "Kumusta {{ guest.name }},\n\nSalamat sa pakikipag-ugnayan sa {{ business.name }}. Natanggap namin ang iyong {{ ticket.kind }} at ang reference nito ay {{ ticket.reference }}.\n\nPaksa: {{ ticket.subject }}\n\nSasagutin ka namin sa lalong madaling panahon. Para magdagdag ng impormasyon, sumagot lamang sa email na ito at panatilihin ang {{ ticket.reference }} sa subject.\n\n{{ business.name }} · {{ business.phone }}\n",
    ),
    (REPLY, "en"): (
        "Re: [{{ ticket.reference }}] {{ ticket.subject }}",
        "Hi {{ guest.name }},\n\n{{ reply.body }}\n\n{{ sender.name }}\n{{ business.name }} · {{ business.phone }}\n\nReply to this email to answer; keep {{ ticket.reference }} in the subject.\n",
    ),
    (REPLY, "fil"): (
        "Re: [{{ ticket.reference }}] {{ ticket.subject }}",
        "Kumusta {{ guest.name }},\n\n{{ reply.body }}\n\n{{ sender.name }}\n{{ business.name }} · {{ business.phone }}\n\nSumagot sa email na ito; panatilihin ang {{ ticket.reference }} sa subject.\n",
    ),
}


NAMES = {ACK: "Ticket received", REPLY: "Ticket reply"}


def register_variables() -> None:
    """Let the comms sandbox check and render the ticket templates' variables, and name the
    templates on the email templates page."""
    from caredesk.comms.models import TEMPLATE_NAMES
    from caredesk.comms.rendering import COMMON
    from caredesk.comms.rendering import VARIABLES as COMMS_VARIABLES

    for code, variables in VARIABLES.items():
        COMMS_VARIABLES.setdefault(code, {**COMMON, **variables})
    TEMPLATE_NAMES.update(NAMES)


def seed_missing(apps=None) -> None:
    """Create the ticket templates that do not exist yet (edited rows are left alone)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    try:
        EmailTemplate = apps.get_model("comms", "EmailTemplate")
    except LookupError:
        return
    for (code, locale), (subject, text) in SEED.items():
        EmailTemplate.objects.get_or_create(
            code=code, locale=locale, defaults={"subject": subject, "text_body": text}
        )


def seed_after_migrate(**kwargs) -> None:
    seed_missing(kwargs.get("apps"))


def guest_address(ticket) -> str:
    if ticket.guest_email:
        return ticket.guest_email
    if ticket.customer_id and ticket.customer.email:
        return ticket.customer.email
    return ""


def ticket_email_queue(*, ticket, code: str, actor=None, extra: dict[str, Any] | None = None):
    """Queue template `code` to the ticket's guest in the ticket's language, inside the
    caller's transaction; None when the guest left no email address or the template is
    missing. The email is an `email.queued` event on the linked customer (their activity) or
    else on the ticket."""
    from caredesk.comms.services import email_queue_templated
    from caredesk.lib.errors import NotFound

    to = guest_address(ticket)
    if not to:
        return None
    locale = ticket.locale if ticket.locale in KIND_WORDS else "en"
    try:
        return email_queue_templated(
            actor=actor,
            to=to,
            template_code=code,
            locale=ticket.locale,
            customer=ticket.customer,
            context={
                "ticket": {
                    "reference": ticket.reference,
                    "subject": ticket.subject,
                    "kind": KIND_WORDS[locale][ticket.kind],
                },
                "guest": {"name": ticket.guest_name or "there"},
                **(extra or {}),
            },
            regarding=ticket.reference,
            order_number=ticket.order.number if ticket.order_id else None,
            event_target=ticket.customer if ticket.customer_id else ticket,
            event_data={"reference": ticket.reference},
        )
    except NotFound:
        return None
