from django.urls import path

from caredesk.customers.search import views as search_views
from caredesk.customers.views import accounts as views
from caredesk.customers.views import rows

app_name = "customers"

C = "customers/<str:member_id>/contacts"
A = "customers/<str:member_id>/addresses"
K = "customers/<str:member_id>/cards"
P = "customers/<str:member_id>/parts"

ROW_URLS = [
    path(f"{C}/new/", rows.contact_add, name="contact_add"),
    path(f"{C}/<int:contact_id>/edit/", rows.contact_edit, name="contact_edit"),
    path(f"{C}/<int:contact_id>/remove/", rows.contact_remove, name="contact_remove"),
    path(
        f"{C}/<int:contact_id>/make-primary/",
        rows.contact_make_primary,
        name="contact_make_primary",
    ),
    path(f"{A}/new/", rows.address_add, name="address_add"),
    path(f"{A}/<int:address_id>/edit/", rows.address_edit, name="address_edit"),
    path(f"{A}/<int:address_id>/remove/", rows.address_remove, name="address_remove"),
    path(
        f"{A}/<int:address_id>/make-default/",
        rows.address_make_default,
        name="address_make_default",
    ),
    path(f"{K}/new/", rows.card_add, name="card_add"),
    path(f"{K}/<int:card_id>/remove/", rows.card_remove, name="card_remove"),
    path(f"{P}/new/", rows.part_add, name="part_add"),
    path("customers/<str:member_id>/blocked-members/", rows.member_block, name="member_block"),
    path(
        "customers/<str:member_id>/blocked-members/<str:blocked_id>/unblock/",
        rows.member_unblock,
        name="member_unblock",
    ),
    path(f"{P}/<int:part_id>/edit/", rows.part_edit, name="part_edit"),
]


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
    *ROW_URLS,
]
