"""What an email can be "regarding": the order, invoice and payment numbers of a customer.

Other apps register a provider (`@regarding_provider`) that lists a customer's numbers; the
compose form offers them and `regarding_resolve` accepts only those, so an email is never
filed against another customer's order. Until a provider is registered the list is empty.
"""

from collections.abc import Callable, Iterable
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


RegardingProvider = Callable[[Any], Iterable[RegardingItem]]
REGARDING_PROVIDERS: list[RegardingProvider] = []


def regarding_provider(func: RegardingProvider) -> RegardingProvider:
    """Register `func(customer) -> iterable of RegardingItem`."""
    if func not in REGARDING_PROVIDERS:
        REGARDING_PROVIDERS.append(func)
    return func


def regarding_choices(customer) -> list[RegardingItem]:
    """All numbers this customer's emails may be regarding, from every provider."""
    items: list[RegardingItem] = []
    for provider in REGARDING_PROVIDERS:
        items.extend(provider(customer))
    return items


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
AttachmentProvider = Callable[[Any], Iterable[Attachment]]
ATTACHMENT_PROVIDERS: list[AttachmentProvider] = []


def attachment_provider(func: AttachmentProvider) -> AttachmentProvider:
    """Register `func(message) -> iterable of (filename, content, mimetype)`."""
    if func not in ATTACHMENT_PROVIDERS:
        ATTACHMENT_PROVIDERS.append(func)
    return func


def message_attachments(message) -> list[Attachment]:
    files: list[Attachment] = []
    for provider in ATTACHMENT_PROVIDERS:
        files.extend(provider(message))
    return files
