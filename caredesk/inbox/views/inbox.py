"""The staff inboxes: one per kind and "mine", sortable and filterable, paginated; bulk
assign and close."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render

from caredesk.branches.models import Branch
from caredesk.inbox import policy, selectors, services
from caredesk.inbox.models import Kind, Priority, Status
from caredesk.inbox.views.common import inbox_required
from caredesk.lib.counts import CappedPaginator
from caredesk.lib.errors import DomainError
from caredesk.lib.http import safe_next
from caredesk.lib.permissions import capability_required, has_capability

PER_PAGE = 25
BOXES = {
    "complaints": ("Complaints", Kind.COMPLAINT),
    "service": ("Service requests", Kind.SERVICE),
    "issues": ("Internal issues", Kind.ISSUE),
    "careers": ("Careers", Kind.CAREER),
    "mine": ("Assigned to me", None),
}


def _staff_for(kinds: list[str]):
    """Active staff who work any of these inboxes (for the assignee filter and bulk assign)."""
    from django.db.models import Q

    codenames = {policy.capability_for_kind(k) for k in kinds}
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__permissions__codename__in=codenames)
            | Q(user_permissions__codename__in=codenames)
        )
        .distinct()
        .order_by("username")
    )


def _render_box(request, box: str):
    title, kind = BOXES[box]
    g = request.GET
    filters = {
        "status": g.get("status", "open"),
        "priority": g.get("priority", ""),
        "assignee": g.get("assignee", ""),
        "overdue": g.get("overdue") == "1",
        "branch": g.get("branch", ""),
        "q": g.get("q", ""),
        "sort": g.get("sort", "due") if g.get("sort") in selectors.SORTS else "due",
    }
    if kind is None and g.get("kind") in policy.kinds_visible(request.user):
        filters["kind"] = g["kind"]
    qs = selectors.ticket_list(
        user=request.user,
        kind=kind or filters.get("kind"),
        status=filters["status"] if filters["status"] != "all" else "all",
        priority=filters["priority"] if filters["priority"] in Priority.values else None,
        assignee=filters["assignee"] or None,
        overdue=filters["overdue"],
        branch=filters["branch"] or None,
        mine=box == "mine",
        q=filters["q"] or None,
        sort=filters["sort"],
    )
    # Counted up to a cap (a LIMITed subquery): a queue costs the same at a million tickets.
    page = CappedPaginator(qs, PER_PAGE).get_page(g.get("page"))
    rows = [{"ticket": t, "sla": policy.sla_badge(t)} for t in page.object_list]
    kinds = [kind] if kind else policy.kinds_visible(request.user)
    context = {
        "box": box,
        "title": title,
        "kind": kind,
        "page": page,
        "rows": rows,
        "filters": filters,
        "statuses": [("open", "Open (new, open, waiting)"), *Status.choices, ("all", "Any")],
        "priorities": Priority.choices,
        "kinds": [(k, Kind(k).label) for k in policy.kinds_visible(request.user)],
        "sorts": selectors.SORT_LABELS.items(),
        "branches": Branch.objects.filter(active=True),
        "staff": list(_staff_for(kinds)),
        "boxes": [
            (name, label)
            for name, (label, k) in BOXES.items()
            if (k is None and policy.may_work_inbox(request.user))
            or (k is not None and k in policy.kinds_visible(request.user))
        ],
    }
    template = "inbox/_rows.html" if request.headers.get("HX-Request") else "inbox/list.html"
    return render(request, template, context)


@capability_required("work_inbox")
def box(request, box: str):
    if box not in BOXES or box == "careers":
        from django.http import Http404

        raise Http404
    return _render_box(request, box)


@capability_required("work_careers")
def careers(request):
    return _render_box(request, "careers")


@capability_required("work_inbox")
def index(request):
    if Kind.COMPLAINT in policy.kinds_visible(request.user):
        return redirect("inbox:box", box="complaints")
    return redirect("inbox:careers")


def _back(request) -> str:
    """Where a bulk action returns to: the posted `next` when it is an inbox page, else the
    inbox (a posted value is never taken as a view name or an outside address)."""
    return safe_next(request, request.POST.get("next"), prefix="/inbox/") or "inbox:index"


@inbox_required
def bulk(request, box: str):
    """Assign the ticked tickets (to me or to a colleague) or close them. Each ticket is its
    own change; the ones refused are named."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404, HttpResponseNotAllowed

    if box not in BOXES:
        raise Http404
    kind = BOXES[box][1]
    if not has_capability(request.user, policy.capability_for_kind(kind or Kind.COMPLAINT)):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    refs = request.POST.getlist("ticket")[:100]
    action = request.POST.get("action", "")
    target_user = None
    if action == "assign_me":
        target_user = request.user
    elif action == "assign":
        username = request.POST.get("assignee", "")
        target_user = get_user_model().objects.filter(username=username, is_active=True).first()
        if target_user is None:
            messages.error(request, "Choose whom to assign the tickets to.")
            return redirect(_back(request))
    elif action != "close":
        messages.error(request, "Choose an action.")
        return redirect(_back(request))
    done, refused = [], []
    for ref in refs:
        try:
            ticket = services.ticket_get(ref)
            if action == "close":
                services.ticket_update(
                    actor=request.user, ticket=ticket, expected_version=None, status=Status.CLOSED
                )
            else:
                services.ticket_update(
                    actor=request.user, ticket=ticket, expected_version=None, assignee=target_user
                )
            done.append(ticket.reference)
        except DomainError as exc:
            refused.append(f"{ref}: {exc.detail}")
    if done:
        messages.success(request, f"Updated {len(done)} ticket{'s' if len(done) != 1 else ''}.")
    for line in refused[:10]:
        messages.error(request, line)
    if not refs:
        messages.error(request, "Tick at least one ticket.")
    return redirect(_back(request))
