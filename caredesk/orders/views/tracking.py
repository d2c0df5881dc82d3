"""The guest tracking page (public)."""

import datetime

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from caredesk.lib.middleware import client_ip
from caredesk.orders import machine, tracking
from caredesk.orders.models import Order, Status, TrackingHit
from caredesk.orders.selectors import (
    guest_timeline,
)

# --- Guest tracking --------------------------------------------------------------------------


def _guest_not_found(request):
    from caredesk.workspace.errors import not_found

    return _guest_headers(not_found(request))


def _guest_headers(response):
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _rate_limited(ip) -> bool:
    since = timezone.now() - datetime.timedelta(seconds=settings.CAREDESK_TRACKING_WINDOW_SECONDS)
    limit = settings.CAREDESK_TRACKING_MAX_PER_IP
    TrackingHit.objects.filter(ip=ip, at__lt=since).delete()  # keep only the live window
    if TrackingHit.objects.filter(ip=ip, at__gte=since)[:limit].count() >= limit:
        return True
    TrackingHit.objects.create(ip=ip)
    return False


@never_cache
def track(request, number: str):
    """The guest's tracking page (public). A wrong or missing token answers exactly like an
    unknown order. The first visit trades `?t=` for a cookie scoped to this order's path and
    redirects to the bare URL, so the token leaves the address bar, history and referrers."""
    if _rate_limited(client_ip(request)):
        response = render(request, "orders/track_limited.html", status=429)
        response["Retry-After"] = str(settings.CAREDESK_TRACKING_WINDOW_SECONDS)
        return _guest_headers(response)
    order = Order.objects.filter(number=number.upper()).select_related("branch").first()
    token = request.GET.get("t")
    path = reverse("orders:track", kwargs={"number": number})
    if token is not None:
        if not tracking.token_valid(order, token):
            return _guest_not_found(request)
        response = redirect(path)
        response.set_cookie(
            tracking.COOKIE_NAME,
            token,
            max_age=60 * 60 * 24 * 90,
            path=path,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return _guest_headers(response)
    if not tracking.token_valid(order, request.COOKIES.get(tracking.COOKIE_NAME)):
        return _guest_not_found(request)
    steps = guest_timeline(order)
    context = {
        "order": order,
        "label": machine.guest_label(order.kind, order.status),
        "delivered": order.status in (Status.DELIVERED, Status.COMPLETED),
        "steps": steps,
        "lines": list(order.lines.all()),
    }
    return _guest_headers(render(request, "orders/track.html", context))
