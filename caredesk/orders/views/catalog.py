"""The catalog page."""

from django.contrib import messages
from django.shortcuts import redirect, render

from caredesk.lib.errors import DomainError
from caredesk.lib.forms import apply_domain_error
from caredesk.lib.permissions import capability_required
from caredesk.orders import forms, services
from caredesk.orders.selectors import (
    catalog_list,
)
from caredesk.orders.views.common import page_of

# --- Catalog ---------------------------------------------------------------------------------


@capability_required("manage_catalog")
def catalog(request):
    """The catalog: search, add a product, change price/name/availability."""
    form = forms.CatalogForm(initial={"active": True})
    editing = request.GET.get("edit") and catalog_list().filter(sku=request.GET["edit"]).first()
    if editing:
        initial = {name: getattr(editing, name) for name in forms.CatalogForm.base_fields}
        form = forms.CatalogForm(initial=initial)
    if request.method == "POST":
        form = forms.CatalogForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                existing = catalog_list().filter(sku=d["sku"].strip().upper()).first()
                if existing and request.POST.get("edit"):
                    changes = {f: d[f] for f in ("name", "price", "active")}
                    services.catalog_update(actor=request.user, item=existing, **changes)
                    messages.success(request, f"{existing.sku} updated.")
                else:
                    item = services.catalog_create(actor=request.user, **d)
                    messages.success(request, f"{item.sku} added.")
                return redirect("orders:catalog")
            except DomainError as exc:
                apply_domain_error(form, exc)
    q = request.GET.get("q", "").strip()
    page = page_of(request, catalog_list(q=q))
    return render(
        request,
        "orders/catalog.html",
        {"page": page, "form": form, "q": q},
        status=400 if form.errors else 200,
    )
