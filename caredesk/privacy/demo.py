"""Demo data safety: a backup of the demo database, one ready data export, and one closed
account erased on request (the others closed long ago wait on the erasure review page)."""

from django.contrib.auth import get_user_model

from caredesk.customers.models import AccountStatus, Customer
from caredesk.privacy import policy
from caredesk.privacy.models import CustomerExport
from caredesk.privacy.services.backups import backup_create
from caredesk.privacy.services.erasure import customer_erase
from caredesk.privacy.services.exports import export_build


def build(*, out, options) -> None:
    manager = get_user_model().objects.filter(username="manager").first()
    if manager is None:
        return
    exported = Customer.objects.filter(status=AccountStatus.OPEN).order_by("member_id").first()
    if exported is not None:
        export = CustomerExport.objects.create(customer=exported, requested_by=manager)
        export_build(export.pk)
    erased = None
    for candidate in Customer.objects.filter(status=AccountStatus.CLOSED).order_by("closed_at")[
        :20
    ]:
        if policy.erase_decision(manager, candidate):
            erased = customer_erase(
                actor=manager, customer=candidate, reason="Customer's written request (demo)"
            )
            break
    backup, _ = backup_create()
    out(
        f"Data safety: export for {exported.member_id if exported else '-'}, "
        f"erased {erased.member_id if erased else '-'}, backup {backup.path}"
    )
