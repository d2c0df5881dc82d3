"""Inbox settings kept by administrators: open positions (careers form), default business
hours, holidays and SLA targets. Each change is audited."""

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from caredesk.audit.services import event_record
from caredesk.branches.models import Branch
from caredesk.inbox.models import BusinessHours, Holiday, Kind, Position, Priority, SlaTarget
from caredesk.lib.permissions import capability_required

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _time(raw: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(raw.strip()) if raw.strip() else None
    except ValueError:
        return None


def _apply(request) -> str:
    """Perform the posted change; returns the confirmation, or raises ValueError(message)."""
    post = request.POST
    op = post.get("op", "")
    user = request.user
    if op == "position_add":
        title = " ".join(post.get("title", "").split())[:120]
        if not title:
            raise ValueError("Give the position a title.")
        branch = Branch.objects.filter(code=post.get("branch", "")).first()
        position = Position.objects.create(title=title, branch=branch)
        event_record(
            actor=user, action="inbox.position_added", target=position, after={"title": title}
        )
        return f"Position “{title}” added."
    if op == "position_toggle":
        position = Position.objects.filter(pk=post.get("id") or 0).first()
        if position is None:
            raise ValueError("No such position.")
        position.active = not position.active
        position.save(update_fields=["active"])
        event_record(
            actor=user,
            action="inbox.position_changed",
            target=position,
            after={"active": position.active},
        )
        return f"“{position.title}” {'reopened' if position.active else 'closed'}."
    if op == "holiday_add":
        try:
            day = dt.date.fromisoformat(post.get("date", ""))
        except ValueError as exc:
            raise ValueError("Give the holiday's date.") from exc
        name = " ".join(post.get("name", "").split())[:100] or "Holiday"
        if Holiday.objects.filter(branch__isnull=True, date=day).exists():
            raise ValueError(f"{day} is already a holiday.")
        holiday = Holiday.objects.create(date=day, name=name)
        event_record(
            actor=user,
            action="inbox.holiday_added",
            target=holiday,
            after={"date": day.isoformat(), "name": name},
        )
        return f"{name} added."
    if op == "holiday_remove":
        holiday = Holiday.objects.filter(pk=post.get("id") or 0).first()
        if holiday is None:
            raise ValueError("No such holiday.")
        event_record(
            actor=user,
            action="inbox.holiday_removed",
            target=holiday,
            before={"date": holiday.date.isoformat(), "name": holiday.name},
        )
        holiday.delete()
        return "Holiday removed."
    if op == "sla":
        changed = 0
        for kind in Kind.values:
            for priority in Priority.values:
                raw = post.get(f"sla_{kind}_{priority}", "").strip()
                if not raw:
                    continue
                if not raw.isdigit() or not 1 <= int(raw) <= 2000:
                    raise ValueError("SLA hours are whole numbers from 1 to 2000.")
                target, _ = SlaTarget.objects.get_or_create(
                    kind=kind, priority=priority, defaults={"hours": int(raw)}
                )
                if target.hours != int(raw):
                    event_record(
                        actor=user,
                        action="inbox.sla_changed",
                        target=target,
                        before={"hours": target.hours},
                        after={"hours": int(raw)},
                        data={"kind": kind, "priority": priority},
                    )
                    target.hours = int(raw)
                    target.save(update_fields=["hours"])
                    changed += 1
        return f"{changed} SLA target{'s' if changed != 1 else ''} changed (new tickets)."
    if op == "hours":
        rows = []
        for weekday in range(7):
            opens, closes = (
                _time(post.get(f"opens_{weekday}", "")),
                _time(post.get(f"closes_{weekday}", "")),
            )
            if opens and closes:
                if closes <= opens:
                    raise ValueError(f"{WEEKDAYS[weekday]}: closing must be after opening.")
                rows.append(BusinessHours(weekday=weekday, opens=opens, closes=closes))
        if not rows:
            raise ValueError("Open at least one day.")
        BusinessHours.objects.filter(branch__isnull=True).delete()
        BusinessHours.objects.bulk_create(rows)
        event_record(
            actor=user,
            action="inbox.hours_changed",
            after={r.weekday: f"{r.opens:%H:%M}-{r.closes:%H:%M}" for r in rows},
        )
        return "Business hours saved."
    raise ValueError("Unknown change.")


@capability_required("manage_staff")
def settings_page(request):
    if request.method == "POST":
        try:
            with transaction.atomic():
                messages.success(request, _apply(request))
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect("inbox:settings")
    hours = {h.weekday: h for h in BusinessHours.objects.filter(branch__isnull=True)}
    targets = {(t.kind, t.priority): t.hours for t in SlaTarget.objects.all()}
    context = {
        "positions": Position.objects.select_related("branch"),
        "holidays": Holiday.objects.filter(date__gte=dt.date.today() - dt.timedelta(days=30))[:60],
        "branches": Branch.objects.filter(active=True),
        "days": [
            {
                "weekday": i,
                "name": n,
                "opens": hours.get(i) and hours[i].opens,
                "closes": hours.get(i) and hours[i].closes,
            }
            for i, n in enumerate(WEEKDAYS)
        ],
        "sla_rows": [
            {
                "kind": label,
                "cells": [
                    {"name": f"sla_{kind}_{p}", "label": plabel, "hours": targets.get((kind, p))}
                    for p, plabel in Priority.choices
                ],
            }
            for kind, label in Kind.choices
        ],
    }
    return render(request, "inbox/settings.html", context)
