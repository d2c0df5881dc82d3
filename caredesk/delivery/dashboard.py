"""Delivery panels on the workspace dashboard: the schedule exceptions with their counts for
planners, and "My runs today" for the crew (their home screen)."""

from django.utils import timezone

from caredesk.delivery import policy
from caredesk.delivery.selectors import count_label, crew_runs, exception_counts
from caredesk.lib.permissions import has_capability


def panels(request) -> list[dict]:
    user = request.user
    out: list[dict] = []
    if has_capability(user, "record_delivery_event"):
        runs = crew_runs(user=user)
        out.append(
            {
                "template": "delivery/_dashboard_crew.html",
                "date": timezone.localdate(),
                "runs": [
                    {
                        "run": run,
                        "stops": [
                            {"stop": s, "badge": policy.status_badge(s.status)}
                            for s in run.stops.all()
                        ],
                    }
                    for run in runs
                ],
            }
        )
    if has_capability(user, "amend_order") and has_capability(user, "view_delivery"):
        counts = exception_counts()
        out.append(
            {
                "template": "delivery/_dashboard_exceptions.html",
                "counts": {k: count_label(n) for k, n in counts.items()},
                "total": count_label(sum(counts.values())),
                "any": any(counts.values()),
            }
        )
    return out
