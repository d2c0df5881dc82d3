from django.urls import path

from caredesk.privacy import views

app_name = "privacy"

urlpatterns = [
    path("backups/", views.backups, name="backups"),
]
