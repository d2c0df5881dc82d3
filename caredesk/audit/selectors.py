from django.db.models import QuerySet

from caredesk.audit.models import Event


def event_list(
    *,
    action: str | None = None,
    actor: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    before_seq: int | None = None,
) -> QuerySet[Event]:
    """Events newest first, filtered; keyset-paginated by `before_seq` (index-backed)."""
    qs = Event.objects.order_by("-seq")
    if action:
        qs = (
            qs.filter(action__startswith=action)
            if action.endswith(".")
            else qs.filter(action=action)
        )
    if actor:
        qs = qs.filter(actor_label=actor)
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    if before_seq:
        qs = qs.filter(seq__lt=before_seq)
    return qs


def target_history(target_type: str, target_id: str) -> QuerySet[Event]:
    return Event.objects.filter(target_type=target_type, target_id=str(target_id)).order_by("-seq")
