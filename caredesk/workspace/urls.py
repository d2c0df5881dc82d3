from django.urls import path

from caredesk.workspace import views

app_name = "workspace"

urlpatterns = [path("", views.dashboard, name="dashboard")]
