"""Inbox settings kept by administrators: open positions (careers form), SLA targets, and the
business calendars (weekly hours and holidays of the default calendar and of each branch,
chosen with `?calendar=<branch code>`). Each change is audited; calendar changes go through
`services.calendar` with the version the page was read at."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from caredesk.branches.models import Branch
from caredesk.inbox.events import deadline_words
from caredesk.inbox.models import Kind, Position, Priority, SlaTarget
from caredesk.inbox.services import calendar
from caredesk.inbox.services import settings as inbox_settings
from caredesk.lib.errors import DomainError, Invalid
from caredesk.lib.permissions import capability_required

WEEKDAYS = calendar.WEEKDAYS
CALENDAR_OPS = ("hours", "holiday_add", "holiday_remove")
PERIODS = 2  # opening periods per day on the page (e.g. morning and afternoon)


def _time(raw: str, *, day: str) -> dt.time | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"{day}: give times as HH:MM.", field="hours") from None


def week_from_post(post) -> calendar.Week:
    """The week typed on the page: `opens_<day>_<n>` / `closes_<day>_<n>`; a period with only
    one of its two times is an error, an empty one is no period."""
    week: calendar.Week = {}
    if post.get("use_default"):
        return week
    for weekday, name in enumerate(WEEKDAYS):
        for n in range(PERIODS):
            opens = _time(post.get(f"opens_{weekday}_{n}", ""), day=name)
            closes = _time(post.get(f"closes_{weekday}_{n}", ""), day=name)
            if opens and closes:
                week.setdefault(weekday, []).append((opens, closes))
            elif opens or closes:
                raise Invalid(f"{name}: give both the opening and the closing time.")
    return week


def _calendar_branch(code: str):
    """The branch whose calendar is meant (None: the default calendar); 404 for a typo."""
    if not code:
        return None
    branch = Branch.objects.filter(code=code).first()
    if branch is None:
        raise Http404
    return branch


def _version(post) -> int | None:
    raw = post.get("version", "")
    return int(raw) if raw.isdigit() else None


def _moved(shift: calendar.DeadlineShift | None) -> str:
    words = deadline_words(shift.as_data()) if shift is not None else ""
    return f" {words[:1].upper()}{words[1:]}." if words else ""


def _calendar_change(request, op: str) -> str:
    """Hours and holidays: through the calendar services (version-checked); the confirmation
    says what the change did to open tickets' deadlines."""
    post, user = request.POST, request.user
    branch = _calendar_branch(post.get("calendar", ""))
    version = _version(post)
    if op == "hours":
        week = week_from_post(post)
        shift = calendar.calendar_hours_set(
            actor=user, branch=branch, week=week, expected_version=version
        )
        if shift is None:
            return "Business hours unchanged."
        if branch is not None and not week:
            return f"{branch.name} uses the default hours.{_moved(shift)}"
        return f"Business hours saved.{_moved(shift)}"
    if op == "holiday_add":
        name = " ".join(post.get("name", "").split())
        shift = calendar.calendar_holiday_add(
            actor=user, branch=branch, day=post.get("date", ""), name=name, expected_version=version
        )
        return f"{name[:100]} added.{_moved(shift)}"
    shift = calendar.calendar_holiday_remove(
        actor=user, branch=branch, day=post.get("date", ""), expected_version=version
    )
    return f"Holiday removed.{_moved(shift)}"


def _apply(request) -> str:
    """Positions and SLA targets: through the settings services; returns the confirmation."""
    post, user = request.POST, request.user
    op = post.get("op", "")
    if op == "position_add":
        branch = Branch.objects.filter(code=post.get("branch", "")).first()
        position = inbox_settings.position_add(
            actor=user, title=post.get("title", ""), branch=branch
        )
        return f"Position “{position.title}” added."
    if op == "position_toggle":
        raw = post.get("id", "")
        position = Position.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if position is None:
            raise Invalid("No such position.")
        position = inbox_settings.position_toggle(actor=user, position=position)
        return f"“{position.title}” {'reopened' if position.active else 'closed'}."
    if op == "sla":
        targets = {}
        for kind in Kind.values:
            for priority in Priority.values:
                raw = post.get(f"sla_{kind}_{priority}", "").strip()
                if not raw:
                    continue
                if not raw.isdigit():
                    raise Invalid("SLA hours are whole numbers from 1 to 2000.")
                targets[(kind, priority)] = int(raw)
        changed = inbox_settings.sla_targets_set(actor=user, targets=targets)
        return f"{changed} SLA target{'s' if changed != 1 else ''} changed (new tickets)."
    raise Invalid("Unknown change.")


def _calendar_days(view: calendar.CalendarView) -> list[dict]:
    return [
        {
            "weekday": i,
            "name": name,
            "periods": [
                {
                    "n": n,
                    "opens": periods[n][0] if n < len(periods) else None,
                    "closes": periods[n][1] if n < len(periods) else None,
                }
                for n in range(PERIODS)
            ],
        }
        for i, name in enumerate(WEEKDAYS)
        for periods in [view.hours.get(i, [])]
    ]


@capability_required("manage_staff")
def settings_page(request):
    code = (request.POST if request.method == "POST" else request.GET).get("calendar", "")
    branch = _calendar_branch(code)
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            with transaction.atomic():
                if op in CALENDAR_OPS:
                    messages.success(request, _calendar_change(request, op))
                else:
                    messages.success(request, _apply(request))
        except DomainError as exc:
            messages.error(request, exc.detail)
        url = reverse("inbox:settings")
        if branch is not None:
            url += "?" + urlencode({"calendar": branch.code})
        if op in CALENDAR_OPS:
            url += "#hours-h" if op == "hours" else "#hol-h"
        return redirect(url)
    view = calendar.calendar_view(branch)
    targets = {(t.kind, t.priority): t.hours for t in SlaTarget.objects.all()}
    context = {
        "positions": Position.objects.select_related("branch"),
        "branches": list(Branch.objects.filter(active=True)),
        "calendar": view,
        "days": _calendar_days(view),
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
