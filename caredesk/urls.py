from django.urls import include, path, re_path

from caredesk.api import api
from caredesk.workspace import views as workspace_views

urlpatterns = [
    path("healthz", workspace_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", workspace_views.api_not_found, name="api-not-found"),
    path("", include("caredesk.staff.urls")),
    path("", include("caredesk.audit.urls")),
    path("", include("caredesk.workspace.urls")),
]

handler403 = "caredesk.workspace.errors.forbidden"
handler404 = "caredesk.workspace.errors.not_found"
handler500 = "caredesk.workspace.errors.server_error"
