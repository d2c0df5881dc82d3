"""Erasure (anonymisation) of a customer's personal data on their request, approved by a
manager: every app's privacy hook tombstones its personal values, the customer's audit key is
destroyed (crypto-shredding: the personal values in their audit events become unreadable while
the hash chain still verifies), exports are deleted — all in one transaction. Orders, payments
and invoices stay as tax records, the customer shown as "Erased customer M0001234"."""

from django.db import connection, transaction
from django.utils import timezone

from caredesk.audit.services import event_record
from caredesk.audit.shredding import subject_key_destroy
from caredesk.lib.errors import Invalid
from caredesk.lib.policy import enforce
from caredesk.privacy import policy
from caredesk.privacy.events import PrivacyEvent
from caredesk.privacy.hooks import erase_everywhere
from caredesk.privacy.models import Erasure
from caredesk.privacy.services.exports import exports_remove

SQLITE_FTS_TABLES = ("customers_search_fts", "customers_address_fts")


def _search_index_purge() -> None:
    """SQLite's full-text indexes (names and contact values; addresses) keep deleted terms in
    their segments until they merge: merge now so the old name and address are gone from the
    file, not just from the results."""
    if connection.vendor != "sqlite":
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in SQLITE_FTS_TABLES:
            if table in existing:
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608


def customer_erase(*, actor, customer, reason: str):
    """Erase `customer`'s personal data. Refused without `erase_customer` (403), when already
    erased or while an order is open (409)."""
    from caredesk.customers.models import Customer

    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            "Say why the data is erased (e.g. the customer's request of 2 Dec).", field="reason"
        )
    if len(reason) > 300:
        raise Invalid("Keep the reason under 300 characters.", field="reason")
    enforce(policy.erase_decision(actor, customer))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    with transaction.atomic():
        current = Customer.objects.select_for_update().get(pk=customer.pk)
        enforce(policy.erase_decision(actor, current))
        apps = erase_everywhere(current, actor=actor)
        files = exports_remove(current)
        subject_key_destroy(current)
        Erasure.objects.create(
            customer=current, approved_by=actor, approved_at=timezone.now(), reason=reason
        )
        event_record(
            actor=actor,
            action=PrivacyEvent.ERASED,
            target=("customers.customer", str(current.pk), current.member_id),
            reason=reason,
            data={"apps": apps, "exports_removed": files},
        )
        _search_index_purge()
    current.refresh_from_db()
    return current
