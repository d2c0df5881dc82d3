"""Helpers for the HTML views."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import Http404

from caredesk.lib.errors import DomainError, NotFound

T = TypeVar("T")


def or_404(read: Callable[..., T], *args, missing: str) -> T:
    """`read(*args)`, a selector or service look-up; its NotFound becomes the page's 404
    saying `missing`."""
    try:
        return read(*args)
    except NotFound:
        raise Http404(missing) from None


def service_told(request, call: Callable[[], T], success: str | Callable[[T], str]) -> bool:
    """Run `call()`, a service doing what the user asked, and tell them how it went: the
    refusal's reason as an error message, else `success` (a text, or made from the answer).
    True when it was done."""
    try:
        answer = call()
    except DomainError as exc:
        messages.error(request, exc.detail)
        return False
    messages.success(request, success(answer) if callable(success) else success)
    return True
