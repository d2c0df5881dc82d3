"""The dashboard's open-tickets panel (seed 001): open tickets assigned to me or to nobody,
overdue first (index ticket_assignee_due_idx / ticket_status_due_idx)."""

from caredesk.inbox import policy, selectors


def panels(request) -> list[dict]:
    user = request.user
    if not policy.may_work_inbox(user):
        return []
    rows = [{"ticket": t, "sla": policy.sla_badge(t)} for t in selectors.dashboard_queue(user)]
    return [{"template": "inbox/_dashboard_panel.html", "rows": rows}]
