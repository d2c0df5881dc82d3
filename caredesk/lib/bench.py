"""What the in-process benchmarks share: their staff users, a signed-in client, and timing
calls into p50/p95 figures reported against the 100 ms target."""

import statistics
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

TARGET_MS = 100


def bench_user(username: str, group: str, **defaults):
    """A staff user in `group` with no usable password, created when missing."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True, **defaults}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=group))
    return user


def bench_client(user) -> Client:
    """A test client on the first allowed host, signed in as `user`."""
    client = Client(SERVER_NAME=(settings.ALLOWED_HOSTS or ["localhost"])[0])
    client.force_login(user)
    return client


def percentiles(samples: list[float]) -> tuple[float, float]:
    """The p50 and p95 of `samples` (seconds), in milliseconds."""
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return p50 * 1000, p95 * 1000


def time_calls(fn: Callable[[], object], samples: int) -> list[float]:
    """The seconds each of `samples` calls of `fn` took, after one warm-up call."""
    fn()  # warm-up
    took = []
    for _ in range(samples):
        start = time.perf_counter()
        fn()
        took.append(time.perf_counter() - start)
    return took


def measure(calls: dict[str, Callable[[], object]], samples: int) -> dict[str, tuple]:
    """{name: (p50_ms, p95_ms)} of each call, timed `samples` times."""
    return {name: percentiles(time_calls(fn, samples)) for name, fn in calls.items()}


def report(figures: dict[str, tuple], out, *, width: int) -> None:
    """Print each figure's p50 and p95 and whether its p95 meets the target."""
    for name, (p50, p95) in figures.items():
        verdict = "ok" if p95 < TARGET_MS else "over target"
        out(
            f"{name:<{width}} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
            f"({verdict}: p95 < {TARGET_MS} ms)"
        )
