from django.urls import include, path

from caredesk.customers.search import views as search_views
from caredesk.customers.views import accounts as views
from caredesk.customers.views import rows

app_name = "customers"


def _row_urls(segment: str, noun: str, *actions: str) -> list:
    """The URLs of one kind of a customer's rows (contacts, addresses, ...): `<segment>/new/`
    adds one; each action is `<segment>/<id>/<action>/` on one row. Views and URL names are
    `<noun>_add` and `<noun>_<action>` (dashes as underscores)."""
    urls = [path(f"{segment}/new/", getattr(rows, f"{noun}_add"), name=f"{noun}_add")]
    for action in actions:
        name = f"{noun}_{action.replace('-', '_')}"
        urls.append(path(f"{segment}/<int:{noun}_id>/{action}/", getattr(rows, name), name=name))
    return urls


# The pages of one customer, under customers/<member_id>/.
CUSTOMER_URLS = [
    path("", views.snapshot, name="snapshot"),
    path("edit/", views.customer_edit, name="edit"),
    path("close/", views.customer_close, name="close"),
    path("reopen/", views.customer_reopen, name="reopen"),
    path("password-reset/", views.customer_password_reset, name="password_reset_send"),
    path("fraud-stop/", views.customer_fraud_stop, name="fraud_stop"),
    path("view-as/", views.view_as, name="view_as"),
    *_row_urls("contacts", "contact", "edit", "remove", "make-primary"),
    *_row_urls("addresses", "address", "edit", "remove", "make-default"),
    *_row_urls("cards", "card", "remove"),
    *_row_urls("parts", "part", "edit"),
    path("blocked-members/", rows.member_block, name="member_block"),
    path("blocked-members/<str:blocked_id>/unblock/", rows.member_unblock, name="member_unblock"),
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
