"""Catalog services: products with a list price (`manage_catalog`)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.lib.display import parse_money
from caredesk.lib.errors import Conflict, Invalid
from caredesk.lib.permissions import require
from caredesk.orders import pricing
from caredesk.orders.models import (
    CatalogItem,
)

MAX_PRICE = Decimal("9999999999.99")


def _price_parse(value, field_name: str = "price") -> Decimal:
    amount = value if isinstance(value, Decimal) else parse_money(str(value), field=field_name)
    if not amount.is_finite() or not pricing.has_at_most_2_places(amount):
        raise Invalid("Use at most 2 decimal places.", field=field_name)
    if amount < 0 or amount > MAX_PRICE:
        raise Invalid("The amount is out of range.", field=field_name)
    return pricing.money(amount)


def catalog_create(*, actor, sku: str, name: str, price, active: bool = True) -> CatalogItem:
    """Add a product to the catalog. SKUs are unique, upper-case, without spaces."""
    require(actor, "manage_catalog")
    sku = (sku or "").strip().upper()
    name = (name or "").strip()
    if not sku or len(sku) > 40 or " " in sku:
        raise Invalid("A SKU is 1-40 characters without spaces.", field="sku")
    if not name:
        raise Invalid("Give the product a name.", field="name")
    amount = _price_parse(price)
    with transaction.atomic():
        if CatalogItem.objects.filter(sku=sku).exists():
            raise Conflict(f"SKU {sku} already exists.", code="duplicate_sku", field="sku")
        item = CatalogItem.objects.create(sku=sku, name=name[:200], price=amount, active=active)
        event_record(
            actor=actor,
            action="catalog.created",
            target=item,
            after={"sku": sku, "name": item.name, "price": amount, "active": active},
        )
    return item


def catalog_update(*, actor, item: CatalogItem, name: str, price, active: bool) -> CatalogItem:
    """Change a product's name, list price or availability. Existing order lines keep the
    price they captured."""
    require(actor, "manage_catalog")
    name = (name or "").strip()
    if not name:
        raise Invalid("Give the product a name.", field="name")
    amount = _price_parse(price)
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        before = {"name": item.name, "price": item.price, "active": item.active}
        item.name, item.price, item.active = name[:200], amount, active
        item.updated_at = timezone.now()
        item.save()
        after = {"name": item.name, "price": item.price, "active": item.active}
        from caredesk.audit.services import field_changes

        b, a = field_changes(before, after)
        if a:
            event_record(actor=actor, action="catalog.updated", target=item, before=b, after=a)
    return item
