"""The delivery panel on the order page: the order's stops (run, date, status, expected
return of a picked-up service order) and "Add to run" when the order may go on one."""

from django.utils import timezone

from caredesk.delivery import policy
from caredesk.delivery.selectors import open_runs_for, order_stops
from caredesk.lib.permissions import has_capability


def panels(request, order) -> list[dict]:
    if not has_capability(request.user, "view_delivery"):
        return []
    stops = order_stops(order)
    live = next((s for s in stops if s.is_live), None)
    ready = policy.order_ready(order)
    may_add = has_capability(request.user, "amend_order") and ready.allowed and live is None
    # The open runs only feed "Add to run": not looked up for an order that may not go on one.
    runs = (
        list(open_runs_for(branch_id=order.branch_id, date_from=timezone.localdate()))
        if may_add
        else []
    )
    expected_back = next((s.expected_return_on for s in stops if s.expected_return_on), None)
    return [
        {
            "template": "delivery/_order_panel.html",
            "stops": [
                {
                    "stop": s,
                    "badge": policy.status_badge(s.status),
                    "failure": policy.FAILURE_REASONS.get(s.failure_reason, ""),
                }
                for s in stops
            ],
            "may_add": may_add,
            "not_ready": ""
            if ready.allowed or live or not policy.awaits_delivery(order)
            else ready.reason,
            "runs": runs,
            "expected_back": expected_back,
        }
    ]
