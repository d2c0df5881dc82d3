"""Password reset for customers: a signed, expiring, single-use link mailed to the customer; the
customer sets the password on a public page. Staff never see the link or the password."""

import secrets
import uuid

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from caredesk.audit.services import event_record
from caredesk.customers import policy
from caredesk.customers.ids import customer_by_member_id
from caredesk.customers.models import (
    Customer,
)
from caredesk.lib.errors import Invalid
from caredesk.lib.policy import enforce

PASSWORD_RESET_SALT = "caredesk.customers.password_reset"  # noqa: S105 (a salt)
PASSWORD_RESET_MAX_AGE = 24 * 60 * 60


def _stamp_digest(customer: Customer) -> str:
    return signing.salted_hmac(
        PASSWORD_RESET_SALT, f"{customer.pk}:{customer.password_stamp}:{customer.password}"
    ).hexdigest()[:20]


def password_reset_token(customer: Customer) -> str:
    """A signed token naming the customer and their current password stamp: it expires after
    24 hours and dies as soon as the password is set with it (the stamp changes)."""
    return signing.dumps(
        {"m": customer.member_id, "s": _stamp_digest(customer)},
        salt=PASSWORD_RESET_SALT,
        compress=True,
    )


def password_reset_customer(token: str) -> Customer | None:
    """The customer a reset token is valid for, or None (expired, used, forged: all alike)."""
    try:
        payload = signing.loads(token, salt=PASSWORD_RESET_SALT, max_age=PASSWORD_RESET_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict):
        return None
    customer = customer_by_member_id(str(payload.get("m", "")))
    if customer is None or not customer.is_open:
        return None
    if not secrets.compare_digest(str(payload.get("s", "")), _stamp_digest(customer)):
        return None
    return customer


def password_reset_email_send(*, customer: Customer, link: str):
    """Queue the reset email in the customer's language through the durable outbox, in the
    caller's transaction. The message is confidential: staff screens never show its body and
    the body is removed once it is sent."""
    from caredesk.comms.services import email_send_template

    return email_send_template(
        actor=None,
        customer=customer,
        template_code="password_reset",
        context={"reset": {"url": link, "expires_hours": PASSWORD_RESET_MAX_AGE // 3600}},
    )


def customer_password_reset_send(*, actor, customer: Customer, base_url: str = "") -> Customer:
    """Email the customer a single-use link (valid 24 h) to set their password. The CSR never
    sees the link; the audit event records that it was sent and to which address only.
    Refused when the customer has no email or the account is closed."""
    enforce(policy.edit(actor, customer))
    with transaction.atomic():
        current = Customer.objects.select_for_update().get(pk=customer.pk)
        enforce(policy.password_reset(actor, current))
        token = password_reset_token(current)
        link = f"{base_url.rstrip('/')}{reverse('customers:password_reset', args=[token])}"
        event_record(
            actor=actor,
            action="customer.password_reset_sent",
            target=current,
            data={"to": current.email},
        )
        password_reset_email_send(customer=current, link=link)
    return current


def customer_password_set(*, token: str, password: str) -> Customer:
    """The customer sets a new password with a reset link: stored as an argon2 hash, the
    stamp rotates so the link (and any other one issued before) stops working."""
    with transaction.atomic():
        customer = password_reset_customer(token)
        if customer is None:
            raise Invalid(PASSWORD_RESET_INVALID, field="password")
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        if not secrets.compare_digest(
            str(signing.loads(token, salt=PASSWORD_RESET_SALT).get("s", "")),
            _stamp_digest(customer),
        ):
            raise Invalid(PASSWORD_RESET_INVALID, field="password")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise Invalid(" ".join(exc.messages), field="password") from None
        customer.password = make_password(password)
        customer.password_stamp = uuid.uuid4().hex
        customer.save(update_fields=["password", "password_stamp"])
        event_record(
            actor=f"customer {customer.member_id}",
            action="customer.password_set",
            target=customer,
            data={"via": "reset link"},
        )
    return customer


PASSWORD_RESET_INVALID = "This link has expired or was already used. Ask us for a new one."  # noqa: S105
