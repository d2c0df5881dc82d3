"""Pickup/delivery windows: every agent sees the coming windows with their free places;
whoever may manage them opens windows, changes capacity and removes unused ones."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from caredesk.branches.models import Zone
from caredesk.lib.errors import DomainError
from caredesk.lib.forms import form_submit
from caredesk.lib.permissions import capability_required, has_capability
from caredesk.orders import forms, services
from caredesk.orders.selectors import windows_list
from caredesk.orders.views.common import page_of


def _day(raw: str, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@capability_required("view_orders")
def windows(request):
    """The windows from a date (today by default), by zone, with booked and free places."""
    can_manage = has_capability(request.user, "manage_pickup_windows")
    form = forms.WindowForm(initial={"date": timezone.localdate() + datetime.timedelta(days=1)})
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = forms.WindowForm(request.POST)
        window = form_submit(form, lambda data: services.window_create(actor=request.user, **data))
        if window is not None:
            messages.success(request, f"Window {window} opened in {window.zone.code}.")
            return redirect(f"{request.path}?zone={window.zone.code}&from={window.date}")
        status = 400
    zone = request.GET.get("zone", "").strip().upper()
    start = _day(request.GET.get("from", ""), timezone.localdate())
    free_only = request.GET.get("free") == "1"
    page = page_of(request, windows_list(zone=zone, start=start, free_only=free_only))
    return render(
        request,
        "orders/windows.html",
        {
            "page": page,
            "form": form,
            "can_manage": can_manage,
            "zones": Zone.objects.order_by("code"),
            "zone": zone,
            "start": start,
            "free_only": free_only,
            "today": timezone.localdate(),
        },
        status=status,
    )


@capability_required("manage_pickup_windows")
@require_POST
def window_change(request, window_id: int):
    """Change a window's capacity (`action=capacity`) or remove it (`action=remove`)."""
    back = request.POST.get("next") or ""
    if not back.startswith("/orders/windows/"):
        back = "/orders/windows/"
    try:
        if request.POST.get("action") == "remove":
            services.window_remove(actor=request.user, window_id=window_id)
            messages.success(request, "Window removed.")
        else:
            form = forms.WindowCapacityForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Capacity is 1 to 50 orders.")
                return redirect(back)
            window = services.window_capacity_change(
                actor=request.user, window_id=window_id, capacity=form.cleaned_data["capacity"]
            )
            messages.success(request, f"Window {window} now holds {window.capacity} orders.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect(back)
