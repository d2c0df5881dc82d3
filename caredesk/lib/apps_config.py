"""The base AppConfig of the domain apps that wire themselves up when Django has loaded them.
An app's apps.py imports this module, not the class: Django picks the app's config as the one
AppConfig subclass found in its apps.py."""

from importlib import import_module

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import import_string


class DomainAppConfig(AppConfig):
    """A domain app whose `ready()` imports its `hooks` (its modules that register themselves
    with other apps) and connects `after_migrate` (a dotted path) to this app's post_migrate."""

    hooks: tuple[str, ...] = ()
    after_migrate: str = ""

    def ready(self) -> None:
        for hook in self.hooks:
            import_module(f"{self.name}.{hook}")
        if self.after_migrate:
            post_migrate.connect(import_string(self.after_migrate), sender=self)
