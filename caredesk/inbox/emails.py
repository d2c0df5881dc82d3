# ruff: noqa: E501 (email copy reads better unwrapped)
"""Ticket emails: the acknowledgement a guest receives with their reference, and a staff
reply. The templates live with every other email template (comms `EmailTemplate`, editable on
the email templates page, in English and Filipino); this module adds their codes, their
documented variables and the seed rows, and queues them through the comms outbox."""

from typing import Any

from django.db import transaction

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


def _template(code: str, locale: str):
    from caredesk.comms.models import EmailTemplate

    found = {
        t.locale: t for t in EmailTemplate.objects.filter(code=code, locale__in=[locale, "en"])
    }
    return found.get(locale) or found.get("en")


def guest_address(ticket) -> str:
    if ticket.guest_email:
        return ticket.guest_email
    if ticket.customer_id and ticket.customer.email:
        return ticket.customer.email
    return ""


def ticket_email_queue(*, ticket, code: str, actor=None, extra: dict[str, Any] | None = None):
    """Queue template `code` to the ticket's guest in the ticket's language, inside the
    caller's transaction; None when the guest left no email address. The email is an
    `email.queued` event on the linked customer (their activity) or else on the ticket."""
    from django.conf import settings

    from caredesk.audit.services import event_record
    from caredesk.comms.models import MessageKind
    from caredesk.comms.rendering import base_context, merge_context, message_render
    from caredesk.comms.services import _queue

    to = guest_address(ticket)
    template = _template(code, ticket.locale)
    if not to or template is None:
        return None
    locale = template.locale
    context = merge_context(
        base_context(customer=ticket.customer, actor=actor),
        {
            "ticket": {
                "reference": ticket.reference,
                "subject": ticket.subject,
                "kind": KIND_WORDS.get(locale, KIND_WORDS["en"])[ticket.kind],
            },
            "guest": {"name": ticket.guest_name or "there"},
            **(extra or {}),
        },
    )
    rendered = message_render(
        code=code,
        subject=template.subject,
        text=template.text_body,
        html=template.html_body,
        context=context,
    )
    with transaction.atomic():
        message = _queue(
            kind=MessageKind.EMAIL,
            customer=ticket.customer,
            created_by=actor if getattr(actor, "pk", None) else None,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            cc=[],
            subject=rendered.subject,
            text_body=rendered.text,
            html_body=rendered.html,
            template_code=code,
            locale=locale,
            regarding=ticket.reference,
            order_number=ticket.order.number if ticket.order_id else None,
        )
        event_record(
            actor=actor,
            action="email.queued",
            target=ticket.customer if ticket.customer_id else ticket,
            data={
                "message": message.pk,
                "subject": message.subject,
                "to": message.to,
                "cc": [],
                "template": code,
                "regarding": ticket.reference,
                "order": message.order_number,
                "reference": ticket.reference,
            },
        )
    return message
