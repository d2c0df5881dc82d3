from django.urls import path

from caredesk.customers import views
from caredesk.customers.search import views as search_views
from caredesk.customers.urls_contacts import urlpatterns as contact_urls

app_name = "customers"

urlpatterns = [
    path("customers/", search_views.search_page, name="search"),
    path("customers/instant/", search_views.instant, name="instant"),
    path("customers/new/", views.customer_new, name="new"),
    path("customers/blocklist/", views.blocklist, name="blocklist"),
    path("customers/blocklist/add/", views.blocklist_add, name="blocklist_add"),
    path(
        "customers/blocklist/<int:entry_id>/remove/",
        views.blocklist_remove,
        name="blocklist_remove",
    ),
    path("customers/<str:member_id>/", views.snapshot, name="snapshot"),
    path("customers/<str:member_id>/edit/", views.customer_edit, name="edit"),
    path("customers/<str:member_id>/close/", views.customer_close, name="close"),
    path("customers/<str:member_id>/reopen/", views.customer_reopen, name="reopen"),
    path(
        "customers/<str:member_id>/password-reset/",
        views.customer_password_reset,
        name="password_reset_send",
    ),
    path("customers/<str:member_id>/fraud-stop/", views.customer_fraud_stop, name="fraud_stop"),
    path("customers/<str:member_id>/view-as/", views.view_as, name="view_as"),
    path("account/reset/<str:token>/", views.password_reset, name="password_reset"),
    *contact_urls,
]
