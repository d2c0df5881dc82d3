import importlib

from django.apps import apps
from django.urls import include, path, re_path

from caredesk.api import api
from caredesk.urls_registry import DOMAIN_APPS
from caredesk.workspace import views as workspace_views


def _domain_urls() -> list:
    """Each installed domain app's `urls.py`, mounted at the root (names namespaced by app)."""
    patterns = []
    for label in DOMAIN_APPS:
        if not apps.is_installed(f"caredesk.{label}"):
            continue
        try:
            importlib.import_module(f"caredesk.{label}.urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"caredesk.{label}.urls":
                raise
            continue
        patterns.append(path("", include(f"caredesk.{label}.urls")))
    return patterns


urlpatterns = [
    path("healthz", workspace_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", workspace_views.api_not_found, name="api-not-found"),
    *_domain_urls(),
]

handler403 = "caredesk.workspace.errors.forbidden"
handler404 = "caredesk.workspace.errors.not_found"
handler500 = "caredesk.workspace.errors.server_error"
