"""The other inbox settings administrators keep: the open positions of the careers form and
the SLA targets (business hours to resolve, per kind and priority). Each write checks the
policy, validates, writes and records its `inbox.*` event in one transaction."""

from django.db import transaction

from caredesk.audit.services import event_record
from caredesk.inbox import policy
from caredesk.inbox.events import SettingsEvent
from caredesk.inbox.models import Kind, Position, Priority, SlaTarget
from caredesk.lib.errors import Invalid
from caredesk.lib.policy import enforce

SLA_MAX_HOURS = 2000


def position_add(*, actor, title: str, branch=None) -> Position:
    """A position offered on `/careers/apply` (at `branch`, or any branch)."""
    enforce(policy.may_manage_inbox_settings(actor))
    title = " ".join((title or "").split())[:120]
    if not title:
        raise Invalid("Give the position a title.", field="title")
    with transaction.atomic():
        position = Position.objects.create(title=title, branch=branch)
        event_record(
            actor=actor,
            action=str(SettingsEvent.POSITION_ADDED),
            target=position,
            after={"title": title, "branch": branch.code if branch else None},
        )
    return position


def position_toggle(*, actor, position: Position) -> Position:
    """Close an open position (the careers form stops offering it) or reopen a closed one."""
    enforce(policy.may_manage_inbox_settings(actor))
    with transaction.atomic():
        position = Position.objects.select_for_update().get(pk=position.pk)
        position.active = not position.active
        position.save(update_fields=["active"])
        event_record(
            actor=actor,
            action=str(SettingsEvent.POSITION_CHANGED),
            target=position,
            before={"active": not position.active},
            after={"active": position.active},
        )
    return position


def sla_targets_set(*, actor, targets: dict[tuple[str, str], int]) -> int:
    """Set the hours of the given (kind, priority) targets; the number changed. Tickets
    filed from now on get the new deadlines."""
    enforce(policy.may_manage_inbox_settings(actor))
    for (kind, priority), hours in targets.items():
        if kind not in Kind.values or priority not in Priority.values:
            raise Invalid("Unknown kind or priority.", field="sla")
        if not isinstance(hours, int) or not 1 <= hours <= SLA_MAX_HOURS:
            raise Invalid(f"SLA hours are whole numbers from 1 to {SLA_MAX_HOURS}.", field="sla")
    changed = 0
    with transaction.atomic():
        for (kind, priority), hours in targets.items():
            target = (
                SlaTarget.objects.select_for_update().filter(kind=kind, priority=priority).first()
            )
            before = target.hours if target else None
            if before == hours:
                continue
            if target is None:
                target = SlaTarget.objects.create(kind=kind, priority=priority, hours=hours)
            else:
                target.hours = hours
                target.save(update_fields=["hours"])
            event_record(
                actor=actor,
                action=str(SettingsEvent.SLA_CHANGED),
                target=target,
                before={"hours": before},
                after={"hours": hours},
                data={
                    "kind": kind,
                    "priority": priority,
                    "kind_label": Kind(kind).label,
                    "priority_label": Priority(priority).label,
                },
            )
            changed += 1
    return changed
