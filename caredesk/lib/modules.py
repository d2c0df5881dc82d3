"""Panels that installed domain apps contribute to a page of another app (the dashboard, the
member snapshot) without that app importing them: `caredesk.<app>.<hook>.panels(...)`."""

import importlib

from django.apps import apps

from caredesk.urls_registry import DOMAIN_APPS


def module_panels(hook: str, *args) -> list[dict]:
    """Collect `panels(*args)` from every installed domain app that has a `<hook>.py`; each
    panel dict names the `template` that renders it."""
    panels: list[dict] = []
    for label in DOMAIN_APPS:
        if not apps.is_installed(f"caredesk.{label}"):
            continue
        name = f"caredesk.{label}.{hook}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        panels.extend(module.panels(*args))
    return panels
