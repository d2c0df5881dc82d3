from django.shortcuts import render

from caredesk.audit.selectors import event_list
from caredesk.lib.permissions import capability_required

PAGE_SIZE = 50


@capability_required("view_audit_log")
def log(request):
    """The audit log, newest first, filterable, keyset-paginated (`before` = a seq)."""
    filters = {
        "action": request.GET.get("action", "").strip() or None,
        "actor": request.GET.get("actor", "").strip() or None,
        "target_type": request.GET.get("target_type", "").strip() or None,
    }
    try:
        before = int(request.GET.get("before", "") or 0) or None
    except ValueError:
        before = None
    rows = list(event_list(**filters, before_seq=before)[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    context = {
        "events": rows,
        "next_before": rows[-1].seq if more else None,
        "filters": {k: v or "" for k, v in filters.items()},
    }
    template = "audit/_rows.html" if request.htmx else "audit/log.html"
    return render(request, template, context)
