"""Panels that installed domain apps contribute to a page of another app (the dashboard, the
member snapshot) without that app importing them: `caredesk.<app>.<hook>.panels(...)`."""

import importlib
from functools import cache

from django.apps import apps

from caredesk.urls_registry import DOMAIN_APPS


@cache
def hook_modules(hook: str) -> tuple:
    """The `caredesk.<app>.<hook>` modules of the installed domain apps, in DOMAIN_APPS order.
    Looked for once per process: looking for a module that is not there is a search of the
    import path each time."""
    modules = []
    for label in DOMAIN_APPS:
        if not apps.is_installed(f"caredesk.{label}"):
            continue
        name = f"caredesk.{label}.{hook}"
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return tuple(modules)


def module_panels(hook: str, *args) -> list[dict]:
    """Collect `panels(*args)` from every installed domain app that has a `<hook>.py`; each
    panel dict names the `template` that renders it."""
    panels: list[dict] = []
    for module in hook_modules(hook):
        panels.extend(module.panels(*args))
    return panels
