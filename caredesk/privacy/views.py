from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from caredesk.customers.views import customer_or_404
from caredesk.lib.errors import DomainError
from caredesk.lib.forms import apply_domain_error
from caredesk.lib.pages import service_told
from caredesk.lib.permissions import capability_required, has_capability
from caredesk.privacy import policy, selectors
from caredesk.privacy.forms import ErasureForm
from caredesk.privacy.services import erasure, exports
from caredesk.privacy.services.backups import backup_default_dir, last_backup

PAGE_SIZE = 25


@capability_required("manage_backups")
def backups(request):
    """The last backup and its size, the schedule, and every backup run (paginated)."""
    page = Paginator(selectors.backup_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "last": last_backup(),
        "page": page,
        "scheduled": bool(settings.CAREDESK_BACKUP_DIR),
        "backup_dir": settings.CAREDESK_BACKUP_DIR or str(backup_default_dir()),
        "keep": settings.CAREDESK_BACKUP_KEEP,
        "every_hours": settings.CAREDESK_BACKUP_EVERY_HOURS,
    }
    return render(request, "privacy/backups.html", context)


def _customer_context(request, customer, form=None) -> dict:
    rows = [
        {
            "export": e,
            "ready": policy.export_ready(e),
            "pending": policy.export_pending(e),
            "note": policy.export_note(e),
        }
        for e in selectors.export_list(customer)[:20]
    ]
    return {
        "customer": customer,
        "exports": rows,
        "pending": any(row["pending"] for row in rows),
        "may_export": policy.export_decision(request.user, customer),
        "may_erase": policy.erase_decision(request.user, customer),
        "show_erase": has_capability(request.user, "erase_customer"),
        "erasure": selectors.erasure_of(customer),
        "form": form or ErasureForm(),
    }


@capability_required("export_customer_data")
def customer_privacy(request, member_id: str):
    """A customer's personal data: exports (request, status, download) and erasure."""
    customer = customer_or_404(member_id)
    context = _customer_context(request, customer)
    if request.htmx and request.GET.get("fragment") == "exports":
        return render(request, "privacy/_exports.html", context)
    return render(request, "privacy/customer.html", context)


@capability_required("export_customer_data")
@require_POST
def export_create(request, member_id: str):
    customer = customer_or_404(member_id)
    service_told(
        request,
        lambda: exports.export_request(actor=request.user, customer=customer),
        "Export queued: it is produced in the background and listed below when ready.",
    )
    return redirect("privacy:customer", member_id=customer.member_id)


@capability_required("erase_customer")
@require_POST
def erase(request, member_id: str):
    customer = customer_or_404(member_id)
    form = ErasureForm(request.POST)
    if form.is_valid():
        try:
            erasure.customer_erase(
                actor=request.user, customer=customer, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, f"Personal data of {customer.member_id} erased.")
            return redirect("privacy:customer", member_id=customer.member_id)
    context = _customer_context(request, customer, form)
    return render(request, "privacy/customer.html", context, status=400)


@capability_required("erase_customer")
def retention(request):
    """Closed accounts past the retention period, for a manager to review for erasure."""
    page = Paginator(selectors.retention_due(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "days": settings.CAREDESK_RETENTION_CLOSED_DAYS}
    return render(request, "privacy/retention.html", context)
