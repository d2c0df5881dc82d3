"""The personal-data panel on the member snapshot (export and erasure), for those who may."""

from caredesk.lib.permissions import has_capability
from caredesk.privacy.selectors import erasure_of


def panels(request, customer) -> list[dict]:
    can_export = has_capability(request.user, "export_customer_data")
    can_erase = has_capability(request.user, "erase_customer")
    if not can_export:
        return []
    return [
        {
            "template": "privacy/_snapshot_privacy.html",
            "customer": customer,
            "can_erase": can_erase,
            "erased": erasure_of(customer),
        }
    ]
