"""Checks another app plugs into a rule of this one: each `check(subject) -> str | None` says
why the subject is held ("order MNL-0001 (picked up) has it"), or None when it is free. The
customers app asks them before removing a customer's last address or changing a part's status;
the orders app registers its checks at import time, so customers never imports orders."""

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Checks(Generic[T]):
    """An ordered set of registered checks; `first_reason` is what the first one objecting says."""

    def __init__(self) -> None:
        self._checks: list[Callable[[T], str | None]] = []

    def register(self, check: Callable[[T], str | None]) -> None:
        """Add `check` once (registering it again, as a re-import does, changes nothing)."""
        if check not in self._checks:
            self._checks.append(check)

    def first_reason(self, subject: T) -> str | None:
        """The reason of the first check that objects to `subject`, None when none does (the
        later checks are not asked)."""
        for check in self._checks:
            if reason := check(subject):
                return reason
        return None
