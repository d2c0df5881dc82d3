from datetime import datetime

from ninja import Field, Query, Schema

from caredesk.audit.selectors import event_list
from caredesk.lib.endpoints import ApiRouter
from caredesk.lib.schemas import MAX_LIMIT, MAX_ROW_ID

router = ApiRouter(tags=["audit"])


class AuditEventOut(Schema):
    seq: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    before: dict | None
    after: dict | None
    reason: str
    request_id: str
    ip: str | None


class EventFilters(Schema):
    action: str | None = None
    actor: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    before_seq: int | None = Field(None, ge=1, le=MAX_ROW_ID)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


class EventPage(Schema):
    results: list[AuditEventOut]
    next_before_seq: int | None


@router.get("/audit/events", EventPage, "view_audit_log", "Read the audit log, newest first")
def events(request, filters: Query[EventFilters]):
    limit = max(1, min(filters.limit, 200))
    rows = list(
        event_list(
            action=filters.action,
            actor=filters.actor,
            target_type=filters.target_type,
            target_id=filters.target_id,
            before_seq=filters.before_seq,
        )[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "results": [
            {
                **{f: getattr(e, f) for f in AuditEventOut.model_fields if f != "actor"},
                "actor": e.actor_label,
            }
            for e in rows
        ],
        "next_before_seq": rows[-1].seq if more else None,
    }
