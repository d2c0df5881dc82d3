from django.urls import include, path

from caredesk.customers.search import views as search_views
from caredesk.customers.views import accounts as views
from caredesk.customers.views import rows

app_name = "customers"

# The pages of one customer, under customers/<member_id>/.
CUSTOMER_URLS = [
    path("", views.snapshot, name="snapshot"),
    path("edit/", views.customer_edit, name="edit"),
    path("close/", views.customer_close, name="close"),
    path("reopen/", views.customer_reopen, name="reopen"),
    path("password-reset/", views.customer_password_reset, name="password_reset_send"),
    path("fraud-stop/", views.customer_fraud_stop, name="fraud_stop"),
    path("view-as/", views.view_as, name="view_as"),
    path("contacts/new/", rows.contact_add, name="contact_add"),
    path("contacts/<int:contact_id>/edit/", rows.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/remove/", rows.contact_remove, name="contact_remove"),
    path(
        "contacts/<int:contact_id>/make-primary/",
        rows.contact_make_primary,
        name="contact_make_primary",
    ),
    path("addresses/new/", rows.address_add, name="address_add"),
    path("addresses/<int:address_id>/edit/", rows.address_edit, name="address_edit"),
    path("addresses/<int:address_id>/remove/", rows.address_remove, name="address_remove"),
    path(
        "addresses/<int:address_id>/make-default/",
        rows.address_make_default,
        name="address_make_default",
    ),
    path("cards/new/", rows.card_add, name="card_add"),
    path("cards/<int:card_id>/remove/", rows.card_remove, name="card_remove"),
    path("parts/new/", rows.part_add, name="part_add"),
    path("blocked-members/", rows.member_block, name="member_block"),
    path("blocked-members/<str:blocked_id>/unblock/", rows.member_unblock, name="member_unblock"),
    path("parts/<int:part_id>/edit/", rows.part_edit, name="part_edit"),
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
    path("customers/<str:member_id>/", include(CUSTOMER_URLS)),
    path("account/reset/<str:token>/", views.password_reset, name="password_reset"),
]
