"""Writes of the communications app: templates, emails, chat alerts, notes and codes.

Each function checks permission (where a person acts), validates, writes, records the audit
event and queues side effects in one transaction. Messages are outbox rows; their delivery is
scheduled on commit (`caredesk.comms.outbox`).
"""

import logging
import re
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail.message import make_msgid
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from caredesk.audit.services import event_record, field_changes
from caredesk.comms.models import (
    ActivityCode,
    ActivityNote,
    EmailTemplate,
    MessageKind,
    OutboundMessage,
    TemplateCode,
)
from caredesk.comms.regarding import RegardingItem, regarding_resolve
from caredesk.comms.rendering import (
    VARIABLES,
    Rendered,
    base_context,
    html_to_text,
    merge_context,
    message_render,
    template_check,
)
from caredesk.comms.sanitize import html_clean
from caredesk.lib.errors import Conflict, Invalid, NotFound
from caredesk.lib.permissions import require
from caredesk.lib.versions import version_check

logger = logging.getLogger(__name__)

MAX_RECIPIENTS = 20


def _newlines(text: str) -> str:
    """Browsers submit textareas with CRLF; store and render with plain newlines."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


# --- Templates ---------------------------------------------------------------------------------


def template_for(code: str, locale: str) -> EmailTemplate:
    """The template for `code` in `locale`, falling back to English. `code` is one of comms'
    own or one another app registered with its variables (e.g. the ticket emails)."""
    if code not in TemplateCode.values and code not in VARIABLES:
        raise Invalid(f"Unknown template {code!r}.", field="template_code")
    found = {
        t.locale: t for t in EmailTemplate.objects.filter(code=code, locale__in=[locale, "en"])
    }
    template = found.get(locale) or found.get("en")
    if template is None:
        raise NotFound(f"No template {code!r} in {locale!r} or English.")
    return template


def email_template_update(
    *,
    actor,
    template: EmailTemplate,
    expected_version: int | None,
    subject: str,
    text_body: str,
    html_body: str,
) -> EmailTemplate:
    """Save new template sources. Refuses (Invalid, on the field) syntax errors and variables
    not documented for the code, so a saved template always renders; refuses a stale edit."""
    require(actor, "manage_email_templates")
    subject = subject.strip()
    text_body, html_body = _newlines(text_body), _newlines(html_body)
    if not subject:
        raise Invalid("A subject is required.", field="subject")
    if "\n" in subject or "\r" in subject:
        raise Invalid("The subject must be one line.", field="subject")
    if not text_body.strip():
        raise Invalid(
            "A text body is required (some customers read plain text).", field="text_body"
        )
    template_check(subject, code=template.code, field="subject")
    template_check(text_body, code=template.code, field="text_body")
    if html_body.strip():
        template_check(html_body, code=template.code, field="html_body", html=True)
    with transaction.atomic():
        current = EmailTemplate.objects.select_for_update().get(pk=template.pk)
        version_check(
            current.version,
            expected_version,
            what="This template",
            by=current.updated_by.get_username() if getattr(current, "updated_by_id", None) else "",
            at=current.updated_at,
        )
        before = {
            "subject": current.subject,
            "text_body": current.text_body,
            "html_body": current.html_body,
        }
        after = {"subject": subject, "text_body": text_body, "html_body": html_body}
        old, new = field_changes(before, after)
        if not new:
            return current
        current.subject, current.text_body, current.html_body = subject, text_body, html_body
        current.version += 1
        current.updated_at = timezone.now()
        current.updated_by = actor
        current.save()
        event_record(
            actor=actor, action="email_template.updated", target=current, before=old, after=new
        )
    return current


# --- Addresses ---------------------------------------------------------------------------------


def addresses_parse(raw: str | list[str] | None, *, field: str) -> list[str]:
    """Email addresses from a comma/semicolon/space separated string or a list, validated and
    de-duplicated (case-insensitively). Raises Invalid naming the bad address."""
    if raw is None:
        return []
    parts = raw if isinstance(raw, list) else re.split(r"[,;\s]+", raw)
    out: list[str] = []
    seen: set[str] = set()
    for part in parts:
        value = str(part).strip()
        if not value:
            continue
        _name, address = parseaddr(value)
        address = address or value
        try:
            validate_email(address)
        except ValidationError:
            raise Invalid(f"{value!r} is not a valid email address.", field=field) from None
        if address.casefold() not in seen:
            seen.add(address.casefold())
            out.append(address)
    if len(out) > MAX_RECIPIENTS:
        raise Invalid(f"At most {MAX_RECIPIENTS} addresses.", field=field)
    return out


def _message_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "caredesk.localhost"
    return make_msgid(domain=domain)


def _queue(**fields: Any) -> OutboundMessage:
    """Create the outbox row (inside the caller's transaction) and schedule its delivery for
    when that transaction commits."""
    from caredesk.comms.outbox import schedule_delivery

    message = OutboundMessage.objects.create(message_id=_message_id(), **fields)
    transaction.on_commit(lambda: schedule_delivery(message.pk))
    return message


# --- Compose -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A composed email checked and rendered exactly as it will be queued."""

    to: list[str]
    cc: list[str]
    rendered: Rendered
    template_code: str
    locale: str
    regarding: RegardingItem | None


def email_compose_prepare(
    *,
    actor,
    customer,
    to: str | list[str] | None,
    cc: str | list[str] | None,
    include_customer_address: bool,
    subject: str,
    body: str,
    body_format: str = "text",
    template_code: str = TemplateCode.FREE_TEXT,
    regarding: str | None = None,
) -> Draft:
    """Validate and render a composed email without writing anything: used by the preview
    and by `email_compose_send`, so the preview is what is sent."""
    require(actor, "send_email")
    body = _newlines(body)
    if template_code not in TemplateCode.values:
        raise Invalid(f"Unknown template {template_code!r}.", field="template_code")
    if body_format not in ("text", "html"):
        raise Invalid("Choose text or HTML.", field="body_format")
    to_list = addresses_parse(to, field="to")
    if include_customer_address:
        if not customer.email:
            raise Invalid("This customer has no email address on file.", field="to")
        if customer.email.casefold() not in {a.casefold() for a in to_list}:
            to_list.insert(0, customer.email)
    if not to_list:
        raise Invalid("Add at least one recipient.", field="to")
    cc_list = [
        a
        for a in addresses_parse(cc, field="cc")
        if a.casefold() not in {t.casefold() for t in to_list}
    ]
    if not subject.strip():
        raise Invalid("A subject is required.", field="subject")
    if body_format == "html":
        # Formatted text from the editor: only the allow-list of `comms.sanitize` is kept.
        body = html_clean(body, template=True)
    if not (html_to_text(body) if body_format == "html" else body).strip():
        raise Invalid("The message is empty.", field="body")
    item = regarding_resolve(customer=customer, number=regarding)
    context = merge_context(
        base_context(customer=customer, actor=actor), item.template_context() if item else None
    )
    try:
        rendered = message_render(
            code=template_code,
            subject=subject,
            text=body if body_format == "text" else "",
            html=body if body_format == "html" else "",
            context=context,
        )
    except Invalid as exc:
        if exc.field in ("text_body", "html_body"):
            exc.field = "body"
        raise
    if rendered.html:
        # Cleaned again once rendered (a variable in a link may not become a script), and the
        # plain-text part is derived from exactly the HTML that is sent.
        html = html_clean(rendered.html)
        rendered = Rendered(subject=rendered.subject, text=html_to_text(html), html=html)
    return Draft(
        to=to_list,
        cc=cc_list,
        rendered=rendered,
        template_code=template_code,
        locale=customer.locale,
        regarding=item,
    )


def email_compose_send(*, actor, customer, **fields: Any) -> OutboundMessage:
    """Queue a composed email (see `email_compose_prepare` for the arguments). The outbox row
    and the `email.queued` event on the customer are written together; nothing is queued when
    any input is refused."""
    draft = email_compose_prepare(actor=actor, customer=customer, **fields)
    with transaction.atomic():
        return _queue_email(actor=actor, customer=customer, draft=draft)


def _queue_email(*, actor, customer, draft: Draft, order_number: str | None = None):
    item = draft.regarding
    message = _queue(
        kind=MessageKind.EMAIL,
        customer=customer,
        created_by=actor if getattr(actor, "pk", None) else None,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=draft.to,
        cc=draft.cc,
        subject=draft.rendered.subject,
        text_body=draft.rendered.text,
        html_body=draft.rendered.html,
        template_code=draft.template_code,
        locale=draft.locale,
        regarding=item.number if item else "",
        order_number=order_number or (item.order_number if item else None),
    )
    _queued_event(actor=actor, target=customer, message=message)
    return message


def _queued_event(*, actor, target, message: OutboundMessage, extra: dict | None = None) -> None:
    """The `email.queued` event on `target`: who the message goes to, about what."""
    event_record(
        actor=actor,
        action="email.queued",
        target=target,
        data={
            "message": message.pk,
            "subject": message.subject,
            "to": message.to,
            "cc": message.cc,
            "template": message.template_code,
            "regarding": message.regarding,
            "order": message.order_number,
            **(extra or {}),
        },
    )


def email_send_template(
    *,
    actor,
    customer,
    template_code: str,
    context: dict[str, Any],
    regarding: str | None = None,
    order=None,
) -> OutboundMessage:
    """Queue template `template_code` to the customer's address, in the customer's locale
    (falling back to English), rendered with the common variables plus `context` (plain data:
    dicts, lists, strings, numbers, dates). For system emails (order confirmation, status
    updates, password reset): the calling service checks its own capability; `actor` may be
    None for automatic emails. `regarding` is the order/invoice/payment number filed with the
    message (defaults to `order.number`). Join the caller's transaction: the message exists
    only if the caller's change commits."""
    if not customer.email:
        raise Invalid("This customer has no email address on file.", field="to", code="no_email")
    template = template_for(template_code, customer.locale)
    full_context = merge_context(base_context(customer=customer, actor=actor), context)
    rendered = message_render(
        code=template_code,
        subject=template.subject,
        text=template.text_body,
        html=template.html_body,
        context=full_context,
    )
    order_number = getattr(order, "number", None) if order is not None else None
    number = regarding or order_number or ""
    draft = Draft(
        to=[customer.email],
        cc=[],
        rendered=rendered,
        template_code=template_code,
        locale=template.locale,
        regarding=RegardingItem(number=number, kind="order", order_number=order_number)
        if number
        else None,
    )
    with transaction.atomic():
        return _queue_email(actor=actor, customer=customer, draft=draft, order_number=order_number)


def email_queue_templated(
    *,
    actor,
    to: str,
    template_code: str,
    locale: str,
    context: dict[str, Any],
    customer=None,
    regarding: str = "",
    order_number: str | None = None,
    event_target=None,
    event_data: dict[str, Any] | None = None,
) -> OutboundMessage:
    """Queue template `template_code` on behalf of another app to one address that need not
    be a customer's (a guest who wrote in), in `locale` (falling back to English), rendered
    with the common variables plus `context`. The outbox row and its `email.queued` event
    (on `event_target`, else the customer; `event_data` adds to it) are written in the
    caller's transaction. The template's code must be one comms knows or another app has
    registered in `rendering.VARIABLES`; a missing template is NotFound."""
    to = (to or "").strip()
    if not to:
        raise Invalid("There is no address to send this email to.", field="to", code="no_email")
    template = template_for(template_code, locale)
    rendered = message_render(
        code=template_code,
        subject=template.subject,
        text=template.text_body,
        html=template.html_body,
        context=merge_context(base_context(customer=customer, actor=actor), context),
    )
    target = event_target if event_target is not None else customer
    with transaction.atomic():
        message = _queue(
            kind=MessageKind.EMAIL,
            customer=customer,
            created_by=actor if getattr(actor, "pk", None) else None,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            cc=[],
            subject=rendered.subject,
            text_body=rendered.text,
            html_body=rendered.html,
            template_code=template_code,
            locale=template.locale,
            regarding=regarding,
            order_number=order_number,
        )
        _queued_event(
            actor=actor if getattr(actor, "pk", None) else None,
            target=target,
            message=message,
            extra=event_data,
        )
    return message


def email_send_staff(*, to: str, subject: str, text_body: str) -> OutboundMessage:
    """Queue a system email to a staff member (e.g. a set-password link) through the durable
    outbox, in the caller's transaction. Filed as confidential: no screen shows its body and
    the body is removed once sent."""
    if not to:
        raise Invalid("This staff member has no email address on file.", field="email")
    with transaction.atomic():
        return _queue(
            to=[to],
            from_email=settings.DEFAULT_FROM_EMAIL,
            subject=subject[:250],
            text_body=text_body,
            template_code="password_reset",
            locale="en",
        )


# --- Chat alerts -------------------------------------------------------------------------------


def chat_alert(*, event_type: str, text: str) -> OutboundMessage | None:
    """Queue `text` for the team chat when `event_type` is one of CAREDESK_CHAT_ALERT_EVENTS;
    otherwise do nothing and return None. Same outbox as email: retried, never sent twice once
    marked sent. Joins the caller's transaction."""
    if event_type not in settings.CAREDESK_CHAT_ALERT_EVENTS:
        return None
    text = text.strip()
    if not text:
        raise Invalid("A chat alert needs text.", field="text")
    with transaction.atomic():
        message = _queue(
            kind=MessageKind.CHAT,
            event_type=event_type,
            to=[settings.TELEGRAM_CHAT_ID] if settings.TELEGRAM_CHAT_ID else [],
            subject=text.splitlines()[0][:250],
            text_body=text[:4096],
        )
        event_record(
            actor=None,
            action="chat.queued",
            target=("comms.outboundmessage", str(message.pk), message.subject[:200]),
            data={"event_type": event_type},
        )
    return message


# --- Activity notes and codes ------------------------------------------------------------------


def note_add(
    *,
    actor,
    customer,
    subject: str,
    body: str = "",
    activity_code: str,
    result_code: str,
    order_number: str | None = None,
) -> ActivityNote:
    """Add an activity note to a customer with an active activity code and result code
    (given by their `code`). The `note.added` event puts it in the customer's history."""
    require(actor, "add_activity_note")
    subject = (subject or "").strip()
    if not subject:
        raise Invalid("A subject is required.", field="subject")
    if len(subject) > 200:
        raise Invalid("Keep the subject under 200 characters.", field="subject")
    codes = {
        (c.kind, c.code): c
        for c in ActivityCode.objects.filter(code__in=[activity_code, result_code], active=True)
    }
    activity = codes.get((ActivityCode.Kind.ACTIVITY, activity_code))
    result = codes.get((ActivityCode.Kind.RESULT, result_code))
    if activity is None:
        raise Invalid("Choose an activity code from the list.", field="activity_code")
    if result is None:
        raise Invalid("Choose a result code from the list.", field="result_code")
    if order_number:
        regarding_resolve(customer=customer, number=order_number)
    with transaction.atomic():
        note = ActivityNote.objects.create(
            customer=customer,
            order_number=order_number or None,
            subject=subject,
            body=(body or "").strip(),
            activity_code=activity,
            result_code=result,
            created_by=actor,
        )
        event_record(
            actor=actor,
            action="note.added",
            target=customer,
            data={
                "note": note.pk,
                "subject": subject,
                "activity": activity.code,
                "result": result.code,
                "order": order_number or None,
            },
        )
    return note


def activity_code_create(*, actor, kind: str, code: str, label: str) -> ActivityCode:
    """Add a code to the activity or result list."""
    require(actor, "manage_activity_codes")
    if kind not in ActivityCode.Kind.values:
        raise Invalid("Choose activity or result.", field="kind")
    code = (code or "").strip().lower()
    label = (label or "").strip()
    if not re.fullmatch(r"[a-z0-9_]{1,30}", code):
        raise Invalid("Use 1-30 lowercase letters, digits or underscores.", field="code")
    if not label:
        raise Invalid("A label is required.", field="label")
    try:
        with transaction.atomic():
            position = ActivityCode.objects.filter(kind=kind).count()
            item = ActivityCode.objects.create(
                kind=kind, code=code, label=label[:80], position=position
            )
            event_record(
                actor=actor,
                action="activity_code.created",
                target=item,
                after={"kind": kind, "code": code, "label": item.label},
            )
    except IntegrityError:
        raise Conflict(f"The code {code!r} already exists.", code="duplicate") from None
    return item


def activity_code_update(*, actor, item: ActivityCode, label: str, active: bool) -> ActivityCode:
    """Rename a code or (de)activate it. Inactive codes stay on old notes but are no longer
    offered."""
    require(actor, "manage_activity_codes")
    label = (label or "").strip()
    if not label:
        raise Invalid("A label is required.", field="label")
    with transaction.atomic():
        current = ActivityCode.objects.select_for_update().get(pk=item.pk)
        before, after = field_changes(
            {"label": current.label, "active": current.active},
            {"label": label[:80], "active": active},
        )
        if after:
            current.label, current.active = label[:80], active
            current.save(update_fields=["label", "active"])
            event_record(
                actor=actor,
                action="activity_code.updated",
                target=current,
                before=before,
                after=after,
            )
    return current
