from django.urls import path

from caredesk.privacy import views

app_name = "privacy"

urlpatterns = [
    path("backups/", views.backups, name="backups"),
    path("privacy/retention/", views.retention, name="retention"),
    path("customers/<str:member_id>/privacy/", views.customer_privacy, name="customer"),
    path("customers/<str:member_id>/privacy/export/", views.export_create, name="export_create"),
    path("customers/<str:member_id>/privacy/erase/", views.erase, name="erase"),
]
