"""Customers page (search) and the top bar's type-ahead fragment."""

from django.shortcuts import render

from caredesk.lib.errors import Invalid
from caredesk.lib.forms import apply_domain_error
from caredesk.lib.modules import module_panels
from caredesk.lib.permissions import capability_required

from . import criteria_clean, customers_instant, customers_instant_page, customers_search
from .forms import AdvancedSearchForm

PER_PAGE = 25  # a screenful at 1366x768
# htmx target id -> the fragment that fills it (the page itself when not htmx)
PARTIALS = {
    "search-results": "customers/search/_results.html",
    "search-area": "customers/search/_area.html",
}


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


@capability_required("search_customers")
def search_page(request):
    """The Customers page: the instant box (live results while typing, Enter for the full
    list) and the advanced form; results link to the member snapshot."""
    q = request.GET.get("q", "").strip()
    form = AdvancedSearchForm(request.GET if not q else None)
    result, mode, status = None, None, 200
    if q:
        result, mode = customers_instant_page(q=q, page=_page_number(request)), "instant"
    elif not any(request.GET.get(name) for name in form.fields if name != "sort"):
        pass
    elif not form.is_valid():
        status = 400
    else:
        try:
            criteria = criteria_clean(form.cleaned_data)
        except Invalid as exc:
            apply_domain_error(form, exc)
            status = 400
        else:
            if not criteria.is_empty():
                sort = form.cleaned_data.get("sort") or "name"
                result = customers_search(
                    criteria=criteria, sort=sort, page=_page_number(request), limit=PER_PAGE
                )
                mode = "advanced"
    context = {
        "form": form,
        "q": q,
        "result": result,
        "mode": mode,
        "sort": request.GET.get("sort") or "name",
    }
    if request.htmx and request.htmx.target in PARTIALS:
        # htmx swaps only 2xx answers: the fragment carries the validation message itself.
        return render(request, PARTIALS[request.htmx.target], context)
    return render(request, "customers/search/page.html", context, status=status)


@capability_required("search_customers")
def instant(request):
    """The type-ahead fragment under the top bar's search box."""
    q = request.GET.get("q", "").strip()
    customers = customers_instant(q=q, limit=15) if q else []
    # Other modules' exact matches shown above the customers (e.g. an order by its number).
    panels = module_panels("instant", request, q) if q else []
    return render(
        request,
        "customers/search/_instant.html",
        {"q": q, "customers": customers, "module_panels": panels},
    )
