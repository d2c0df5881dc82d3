"""Helpers for the HTML views."""

from collections.abc import Callable
from typing import TypeVar

from django.http import Http404

from caredesk.lib.errors import NotFound

T = TypeVar("T")


def or_404(read: Callable[..., T], *args, missing: str) -> T:
    """`read(*args)`, a selector or service look-up; its NotFound becomes the page's 404
    saying `missing`."""
    try:
        return read(*args)
    except NotFound:
        raise Http404(missing) from None
