"""Administration pages: branches and their zones."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from caredesk.branches import services
from caredesk.branches.forms import BranchForm, ZoneForm
from caredesk.branches.models import Branch
from caredesk.branches.selectors import branch_list as branches_selector
from caredesk.lib.errors import DomainError
from caredesk.lib.forms import form_submit
from caredesk.lib.permissions import capability_required

PROFILE = list(services.PROFILE_FIELDS)


@capability_required("manage_staff")
@require_http_methods(["GET", "POST"])
def branch_list(request):
    form = BranchForm(request.POST or None)
    status = 200
    if request.method == "POST":
        branch = form_submit(
            form,
            lambda data: services.branch_create(
                actor=request.user, code=data["code"], **{f: data[f] for f in PROFILE}
            ),
        )
        if branch:
            messages.success(request, f"Branch {branch.code} added. Now add its zones.")
            return redirect("branches:edit", code=branch.code)
        status = 400
    page = Paginator(branches_selector(), 50).get_page(request.GET.get("page"))
    return render(request, "branches/list.html", {"page": page, "form": form}, status=status)


@capability_required("manage_staff")
@require_http_methods(["GET", "POST"])
def branch_edit(request, code):
    branch = get_object_or_404(Branch, code=code)
    form = BranchForm(instance=branch)
    zone_form = ZoneForm(prefix="zone")
    status = 200
    if request.method == "POST" and request.POST.get("action") == "zone":
        zone_form = ZoneForm(request.POST, prefix="zone")
        zone = form_submit(
            zone_form,
            lambda data: services.zone_create(actor=request.user, branch=branch, **data),
        )
        if zone:
            messages.success(request, f"Zone {zone.code} added.")
            return redirect("branches:edit", code=branch.code)
        status = 400
    elif request.method == "POST" and request.POST.get("action") == "zone_rename":
        zone = get_object_or_404(branch.zones, code=request.POST.get("zone", ""))
        try:
            services.zone_rename(actor=request.user, zone=zone, name=request.POST.get("name", ""))
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, f"Zone {zone.code} is now {zone.name}.")
        return redirect("branches:edit", code=branch.code)
    elif request.method == "POST":
        form = BranchForm(request.POST, instance=Branch.objects.get(pk=branch.pk))
        saved = form_submit(
            form,
            lambda data: services.branch_update(
                actor=request.user, branch=branch, **{f: data[f] for f in PROFILE}
            ),
        )
        if saved:
            messages.success(request, f"Branch {branch.code} saved.")
            return redirect("branches:edit", code=branch.code)
        status = 400
    context = {
        "branch": branch,
        "zones": list(branch.zones.order_by("code")),
        "form": form,
        "zone_form": zone_form,
    }
    return render(request, "branches/edit.html", context, status=status)
