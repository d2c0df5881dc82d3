from django.urls import path

from caredesk.branches import views

app_name = "branches"

urlpatterns = [
    path("admin/branches/", views.branch_list, name="list"),
    path("admin/branches/<str:code>/", views.branch_edit, name="edit"),
]
