"""Guest sign-in by one-time code (SPEC §9) and what a signed-in guest may see and do.

The answer to "send me a code" is the same whether or not the number is on an order; a code
is 6 digits, good for 5 minutes and 5 attempts, spent on first use; a number gets at most
CAREDESK_LOGIN_CODE_MAX_PER_PHONE codes per 15 minutes and an IP a bounded number of tries.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.customers.values import phone_normalise
from caredesk.inbox.models import Attachment, Kind, Message, Ticket, Visibility
from caredesk.inbox.services import ticket_guest_reply
from caredesk.inbox.throttle import throttle_hit
from caredesk.inbox.uploads import GUEST_REPLY_FILES, uploads_check
from caredesk.lib.errors import Invalid, NotFound
from caredesk.portal.models import LoginCode
from caredesk.portal.sms import sms_send

CODE_TTL = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 5
PHONE_WINDOW = dt.timedelta(minutes=15)
GUEST_KINDS = (Kind.COMPLAINT, Kind.SERVICE)


def _hash(code: str, salt: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"login-code:{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def _ip_gate(ip: str | None) -> None:
    throttle_hit(
        f"login:{ip or 'unknown'}",
        limit=settings.CAREDESK_LOGIN_MAX_PER_IP,
        window_seconds=settings.CAREDESK_PUBLIC_WINDOW_SECONDS,
    )


def phone_on_order(phone: str) -> bool:
    from caredesk.orders.models import Order

    return Order.objects.filter(customer__phone=phone).exclude(status="draft").exists()


def login_code_send(*, raw_phone: str, ip: str | None) -> str:
    """Send a code when the number is on an order; return the normalised number either way."""
    _ip_gate(ip)
    phone = phone_normalise(raw_phone, field="phone")
    if not phone:
        raise Invalid("Enter the mobile number on your order.", field="phone")
    now = timezone.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    salt = secrets.token_hex(8)
    digest = _hash(code, salt)  # spent for unknown numbers too: the same work either way
    if not phone_on_order(phone):
        return phone
    recent = LoginCode.objects.filter(phone=phone, created_at__gte=now - PHONE_WINDOW).count()
    if recent >= settings.CAREDESK_LOGIN_CODE_MAX_PER_PHONE:
        return phone
    LoginCode.objects.create(
        phone=phone, code_hash=digest, salt=salt, created_at=now, expires_at=now + CODE_TTL
    )
    sms_send(
        to=phone,
        text=f"{code} is your {settings.CAREDESK_BUSINESS_NAME} sign-in code. "
        "It expires in 5 minutes. Never share it.",
    )
    return phone


def login_code_verify(*, phone: str, code: str, ip: str | None) -> bool:
    """True (and the code spent) when `code` is the live code of `phone`. Each wrong try
    counts against the code; after MAX_ATTEMPTS it is dead."""
    _ip_gate(ip)
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    now = timezone.now()
    with transaction.atomic():
        row = (
            LoginCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if row is None or row.attempts >= MAX_ATTEMPTS:
            return False
        if len(code) == 6 and hmac.compare_digest(row.code_hash, _hash(code, row.salt)):
            row.used_at = now
            row.save(update_fields=["used_at"])
            event_record(
                actor=None,
                action="portal.signed_in",
                target=("portal.guest", phone[-4:], f"Guest …{phone[-4:]}"),
            )
            return True
        row.attempts += 1
        row.save(update_fields=["attempts"])
    return False


def guest_orders(phone: str) -> QuerySet:
    from caredesk.orders.models import Order

    return (
        Order.objects.filter(customer__phone=phone)
        .exclude(status="draft")
        .select_related("branch", "customer")
        .order_by("-created_at")
    )


def guest_tickets(phone: str) -> QuerySet[Ticket]:
    """The guest's open complaints and service requests (by their number on the customer or
    on the ticket)."""
    return (
        Ticket.objects.filter(Q(customer__phone=phone) | Q(guest_phone=phone))
        .filter(kind__in=GUEST_KINDS, status__in=("new", "open", "waiting"))
        .filter(merged_into__isnull=True)
        .order_by("-created_at")
    )


def guest_ticket(phone: str, reference: str) -> Ticket:
    """One of the guest's open tickets; NotFound for any other reference (someone else's
    ticket answers exactly like one that does not exist)."""
    ticket = guest_tickets(phone).filter(reference=(reference or "").upper()).first()
    if ticket is None:
        raise NotFound("No such open request on your account.")
    return ticket


def guest_reply(*, phone: str, reference: str, body: str, files=()) -> Message:
    """A signed-in guest's reply on one of their open tickets, with photos or PDFs. The files
    pass the same checks as the public forms' and emailed replies' (accepted by their bytes,
    at most `CAREDESK_UPLOAD_MAX_BYTES` each and five in all) before anything is written: a
    refused file refuses the whole reply with a message saying why, and nothing is stored."""
    ticket = guest_ticket(phone, reference)
    checked = uploads_check(files, allowed=GUEST_REPLY_FILES, field="files")
    body = (body or "").strip()
    if not body and not checked:
        raise Invalid("Write your reply or attach a file.", field="body")
    return ticket_guest_reply(
        ticket=ticket, body=body or "(files only)", via="portal", files=checked
    )


def guest_attachment(phone: str, attachment_id: int) -> Attachment:
    """A file the guest may download: on one of their open tickets and on a message they see
    (their own words or a reply to them, never an internal note). Anything else is NotFound."""
    item = (
        Attachment.objects.select_related("ticket", "message")
        .filter(
            pk=attachment_id,
            ticket__in=guest_tickets(phone),
            message__visibility__in=(Visibility.GUEST, Visibility.REPLY),
        )
        .first()
    )
    if item is None:
        raise NotFound("No such file on your account.")
    return item
