"""What guests file without signing in: complaints, job applications and service requests
on a delivered order. Each passes the same gate first: the per-IP rate limit, the honeypot,
and the FRAUD-STOP blocklist on the email, phone and IP (a refusal that is recorded and
alerted by `blocklist_enforce`)."""

from django.conf import settings

from caredesk.customers.models import Customer
from caredesk.customers.services import blocklist_enforce
from caredesk.customers.values import email_normalise, phone_normalise
from caredesk.inbox.models import Kind, Position, Ticket
from caredesk.inbox.services.tickets import ticket_create
from caredesk.inbox.throttle import throttle_hit
from caredesk.inbox.uploads import DOCUMENTS, IMAGES, uploads_check
from caredesk.lib.errors import Invalid

SERVICE_STATUSES = ("delivered", "completed")


def _gate(
    *, action: str, ip: str | None, honeypot: str, email: str = "", phone: str = "", order=None
) -> None:
    throttle_hit(
        f"public:{ip or 'unknown'}",
        limit=settings.CAREDESK_PUBLIC_MAX_PER_IP,
        window_seconds=settings.CAREDESK_PUBLIC_WINDOW_SECONDS,
    )
    if honeypot:
        # Only robots fill the hidden field; nothing is filed.
        raise Invalid("Your message could not be accepted.", code="rejected")
    blocklist_enforce(
        actor=None,
        action=action,
        target=order.customer if order is not None else None,
        emails=[email] if email else [],
        phones=[phone] if phone else [],
        ips=[ip] if ip else [],
    )


def _guest(name: str, email: str, phone: str) -> tuple[str, str, str]:
    """The guest's name, email and phone as kept; a name and one way to answer are needed."""
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("Please give your name.", field="name")
    email = email_normalise(email or "")
    phone = phone_normalise(phone or "")
    if not email and not phone:
        raise Invalid("Give an email address or a mobile number so we can answer.", field="email")
    return name, email, phone


def _web_ticket(
    kind: str, *, subject: str, body: str, guest: tuple[str, str, str], ip, **more
) -> Ticket:
    """The ticket a guest files on the website, from `guest` (name, email, phone)."""
    name, email, phone = guest
    return ticket_create(
        actor=None,
        kind=kind,
        subject=subject,
        body=body,
        source="web",
        guest_name=name,
        guest_email=email,
        guest_phone=phone,
        source_ip=ip,
        **more,
    )


def _known_customer(email: str, phone: str):
    """The customer these contact details belong to, when exactly one does."""
    for field, value in (("email", email), ("phone", phone)):
        if value:
            found = list(Customer.objects.filter(**{field: value}).order_by("pk")[:2])
            if len(found) == 1:
                return found[0]
    return None


def _order(number: str):
    from caredesk.orders.models import Order

    number = (number or "").strip().upper()
    if not number:
        return None
    order = Order.objects.select_related("customer", "branch").filter(number=number).first()
    if order is None:
        raise Invalid(
            f"We found no order {number}. Check the number or leave it empty.", field="order"
        )
    return order


def complaint_file(
    *,
    name: str,
    email: str,
    phone: str,
    message: str,
    order_number: str = "",
    photos=(),
    ip: str | None,
    honeypot: str = "",
    locale: str = "en",
) -> Ticket:
    """A guest's complaint from `/complaints` or the public API."""
    name, email, phone = _guest(name, email, phone)
    order = _order(order_number)
    _gate(action="complaint", ip=ip, honeypot=honeypot, email=email, phone=phone, order=order)
    files = uploads_check(photos, allowed=IMAGES, field="photos")
    text = (message or "").strip()
    customer = order.customer if order else _known_customer(email, phone)
    return _web_ticket(
        Kind.COMPLAINT,
        subject=text.splitlines()[0][:120] if text else "",
        body=text,
        guest=(name, email, phone),
        ip=ip,
        locale=customer.locale if customer else locale,
        customer=customer,
        order=order,
        files=files,
    )


def career_apply(
    *,
    name: str,
    email: str,
    phone: str,
    position_id,
    cv,
    message: str = "",
    ip: str | None,
    honeypot: str = "",
    locale: str = "en",
) -> Ticket:
    """A job application from `/careers/apply` with its CV (PDF or DOCX by content)."""
    name, email, phone = _guest(name, email, phone)
    position = (
        Position.objects.filter(pk=position_id, active=True).first()
        if str(position_id or "").isdigit()
        else None
    )
    if position is None:
        raise Invalid("Choose one of the open positions.", field="position")
    if not cv:
        raise Invalid("Attach your CV (PDF or Word).", field="cv")
    _gate(action="career application", ip=ip, honeypot=honeypot, email=email, phone=phone)
    files = uploads_check([cv], allowed=DOCUMENTS, field="cv")
    body = (message or "").strip() or f"Application for {position.title}."
    return _web_ticket(
        Kind.CAREER,
        subject=f"{position.title}: {name}",
        body=body,
        guest=(name, email, phone),
        ip=ip,
        locale=locale,
        branch=position.branch,
        position=position,
        files=files,
    )


def service_request(
    *, order, message: str, photos=(), ip: str | None, honeypot: str = ""
) -> Ticket:
    """An after-sales service request from the tracking page of a delivered order (the
    caller has checked the guest's tracking token)."""
    from caredesk.lib.errors import Conflict

    if order.status not in SERVICE_STATUSES:
        raise Conflict(
            "Service can be requested once the order is delivered.", code="not_delivered"
        )
    customer = order.customer
    _gate(
        action="service request",
        ip=ip,
        honeypot=honeypot,
        email=customer.email,
        phone=customer.phone,
        order=order,
    )
    files = uploads_check(photos, allowed=IMAGES, field="photos")
    text = (message or "").strip()
    return _web_ticket(
        Kind.SERVICE,
        subject=f"Service for {order.number}: {text.splitlines()[0][:80]}" if text else "",
        body=text,
        guest=(customer.display_name, customer.email, customer.phone),
        ip=ip,
        locale=customer.locale,
        customer=customer,
        order=order,
        files=files,
    )
