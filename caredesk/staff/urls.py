from django.urls import path

from caredesk.staff import views

app_name = "staff"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("staff/", views.staff_list, name="list"),
    path("staff/<str:username>/", views.staff_edit, name="edit"),
    path("password/<str:uidb64>/<str:token>/", views.password_reset, name="password_reset"),
    path("admin/settings/", views.settings_page, name="settings"),
]
