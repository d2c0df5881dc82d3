"""What an email can be "regarding": the order, invoice and payment numbers of a customer.

Other apps register a provider (`@regarding_provider`) that lists a customer's numbers; the
compose form offers them and `regarding_resolve` accepts only those, so an email is never
filed against another customer's order. Until a provider is registered the list is empty.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from caredesk.lib.errors import Invalid


@dataclass(frozen=True)
class RegardingItem:
    number: str
    kind: str  # "order", "invoice" or "payment"
    label: str = ""
    order_number: str | None = None
    # Template variables this item supplies (e.g. {"order": {...}}) when composing; or a
    # callable computing them, run only for the item an email is actually regarding.
    context: dict[str, Any] = field(default_factory=dict)
    load_context: Callable[[], dict[str, Any]] | None = field(default=None, compare=False)

    def template_context(self) -> dict[str, Any]:
        if self.load_context is not None:
            return {**self.context, **self.load_context()}
        return self.context


class Providers(list):
    """Functions other apps register at import time, each listing things for a subject."""

    def register(self, func):
        """Add `func` once (a re-import registers nothing more); usable as a decorator."""
        if func not in self:
            self.append(func)
        return func

    def gathered(self, subject) -> list:
        """What every provider lists for `subject`, in the order they were registered."""
        return [item for provider in self for item in provider(subject)]


# Each provider: func(customer) -> iterable of RegardingItem.
REGARDING_PROVIDERS = Providers()
regarding_provider = REGARDING_PROVIDERS.register


def regarding_choices(customer) -> list[RegardingItem]:
    """All numbers this customer's emails may be regarding, from every provider."""
    return REGARDING_PROVIDERS.gathered(customer)


def regarding_resolve(*, customer, number: str | None) -> RegardingItem | None:
    """The item for `number`, or None for no number. Raises Invalid (field "regarding") when
    the number is not one of this customer's orders, invoices or payments."""
    number = (number or "").strip()
    if not number:
        return None
    for item in regarding_choices(customer):
        if item.number.casefold() == number.casefold():
            return item
    raise Invalid(
        f"{number} is not an order, invoice or payment of this customer.",
        field="regarding",
        code="regarding_not_customer",
    )


# --- Attachments ---------------------------------------------------------------------------
# A provider returns the files an outbound message carries, built when it is delivered (e.g.
# the PDF of the invoice a message is regarding), so the outbox stores no file.

Attachment = tuple[str, bytes, str]  # filename, content, MIME type

# Each provider: func(message) -> iterable of Attachment.
ATTACHMENT_PROVIDERS = Providers()
attachment_provider = ATTACHMENT_PROVIDERS.register


def message_attachments(message) -> list[Attachment]:
    """The files every provider attaches to `message`."""
    return ATTACHMENT_PROVIDERS.gathered(message)
