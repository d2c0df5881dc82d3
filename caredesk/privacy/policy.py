"""Who may export or erase a customer's personal data, now, and why not."""

from caredesk.lib.permissions import has_capability
from caredesk.lib.policy import ALLOW, Decision, deny, first_refusal, forbid
from caredesk.privacy.models import CustomerExport

CLOSED_ORDER_STATUSES = ("completed", "cancelled")


def is_erased(customer) -> bool:
    from caredesk.privacy.models import Erasure

    return Erasure.objects.filter(customer=customer).exists()


def _not_erased(customer) -> Decision:
    if is_erased(customer):
        return deny("This customer's personal data has been erased.", code="erased")
    return ALLOW


def export_decision(actor, customer) -> Decision:
    if not has_capability(actor, "export_customer_data"):
        return forbid("You do not have permission to export a customer's data.")
    return _not_erased(customer)


def download_decision(actor, export: CustomerExport) -> Decision:
    if not has_capability(actor, "export_customer_data"):
        return forbid("You do not have permission to download a customer's data.")
    if export.status != CustomerExport.Status.DONE or not export.json_file:
        return deny("This export is not ready.", code="not_ready")
    return ALLOW


def open_order(customer):
    """The first order of the customer that is neither completed nor cancelled, or None."""
    from caredesk.orders.models import Order

    return (
        Order.objects.filter(customer=customer)
        .exclude(status__in=CLOSED_ORDER_STATUSES)
        .order_by("created_at")
        .first()
    )


def erase_decision(actor, customer) -> Decision:
    if not has_capability(actor, "erase_customer"):
        return forbid("Only a manager can approve the erasure of a customer's data.")
    refusal = first_refusal(_not_erased(customer))
    if not refusal:
        return refusal
    order = open_order(customer)
    if order is not None:
        return deny(
            f"Order {order.number} is still open ({order.get_status_display()}); erase the "
            "customer's data once it is completed or cancelled.",
            code="open_order",
        )
    return ALLOW


# --- Export and backup status -------------------------------------------------------------------

# queued or running: warn
EXPORT_TONES = {CustomerExport.Status.DONE: "ok", CustomerExport.Status.FAILED: "danger"}
BACKUP_TONES = {"done": "ok", "failed": "danger"}  # running: neutral


def export_ready(export: CustomerExport) -> bool:
    """The files can be downloaded."""
    return export.status == CustomerExport.Status.DONE


def export_pending(export: CustomerExport) -> bool:
    """The worker has yet to finish it (the page keeps polling)."""
    return export.status in (CustomerExport.Status.QUEUED, CustomerExport.Status.RUNNING)


def export_note(export: CustomerExport) -> str:
    """What to tell staff about an export that has no files (yet)."""
    if export.status == CustomerExport.Status.FAILED:
        return "Request it again."
    return "" if export_ready(export) else "Being prepared by the worker"


def status_tone(obj) -> str:
    """The badge tone (`{{ obj|tone }}`) of an export's or a backup's status."""
    from caredesk.privacy.models import Backup

    if isinstance(obj, CustomerExport):
        return EXPORT_TONES.get(obj.status, "warn")
    if isinstance(obj, Backup):
        return BACKUP_TONES.get(obj.status, "")
    return ""
