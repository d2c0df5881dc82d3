"""Rate limits for the public forms and the guest sign-in, counted in the database so every
web process sees the same counts."""

import datetime as dt

from django.utils import timezone

from caredesk.inbox.models import Throttle
from caredesk.lib.errors import RateLimited


def throttle_hit(key: str, *, limit: int, window_seconds: int) -> None:
    """Count one request under `key`; RateLimited (429) when `limit` requests were already
    counted in the last `window_seconds`. Old rows of the key are dropped on the way."""
    now = timezone.now()
    since = now - dt.timedelta(seconds=window_seconds)
    Throttle.objects.filter(key=key, at__lt=since).delete()
    if Throttle.objects.filter(key=key, at__gte=since)[:limit].count() >= limit:
        raise RateLimited(
            "Too many requests from your connection. Please wait a few minutes and try again.",
            retry_after=window_seconds,
        )
    Throttle.objects.create(key=key, at=now)
