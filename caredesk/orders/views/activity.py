"""The order's activity history: its status events, amendments and payments, and the emails
and notes filed against it, in one list filterable by type (SPEC §6)."""

from django.shortcuts import render
from django.urls import reverse

from caredesk.comms.forms import NoteForm
from caredesk.comms.selectors import HISTORY_TYPES, history_page, order_history_events
from caredesk.lib.permissions import capability_required, has_capability
from caredesk.orders.views.common import order_or_404

ORDER_TYPES = [(k, label) for k, (label, _) in HISTORY_TYPES.items() if k != "account"]


@capability_required("view_orders")
def activity(request, number: str):
    order = order_or_404(number)
    kind = request.GET.get("type", "")
    kind = kind if kind in dict(ORDER_TYPES) else ""
    page, entries = history_page(
        order_history_events(order, kind=kind or None), page=request.GET.get("page", 1)
    )
    context = {
        "order": order,
        "customer": order.customer,
        "page": page,
        "entries": entries,
        "kind": kind,
        "types": ORDER_TYPES,
        "history_url": reverse("orders:activity", args=[order.number]),
        "note_form": NoteForm(initial={"order_number": order.number})
        if has_capability(request.user, "add_activity_note")
        else None,
        "can_email": has_capability(request.user, "send_email"),
    }
    if request.htmx and request.htmx.target == "history-list":
        return render(request, "comms/_history_list.html", context)
    return render(request, "comms/history.html", context)
