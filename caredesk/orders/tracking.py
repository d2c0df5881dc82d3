"""Guest tracking tokens (SPEC §3, §9).

A token is HMAC-SHA256(SECRET_KEY, "order-tracking:" + number + ":" + per-order salt), 256 bits
in URL-safe base64: it can be handed out again without being stored, and only its SHA-256 is
kept on the order. Checks hash the presented token and compare in constant time."""

import base64
import hashlib
import hmac

from django.conf import settings
from django.urls import reverse

from caredesk.orders.models import Order

COOKIE_NAME = "cdk_track"


def token_for(order: Order) -> str:
    msg = f"order-tracking:{order.number}:{order.tracking_salt}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), msg, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_valid(order: Order | None, token: str | None) -> bool:
    """Constant-time check; also spends the same work when the order does not exist."""
    expected = order.tracking_token_hash if order is not None else "0" * 64
    presented = token_hash(token or "")
    ok = hmac.compare_digest(expected, presented)
    return ok and order is not None and bool(token)


def tracking_path(order: Order) -> str:
    return reverse("orders:track", kwargs={"number": order.number})


def tracking_url(request, order: Order) -> str:
    path = f"{tracking_path(order)}?t={token_for(order)}"
    return request.build_absolute_uri(path) if request is not None else path
