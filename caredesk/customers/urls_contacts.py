"""URLs of a customer's additional emails/phones, addresses, cards, registered parts and
blocked members (in the `customers` namespace)."""

from django.urls import path

from caredesk.customers import views_contacts as views

C = "customers/<str:member_id>/contacts"
A = "customers/<str:member_id>/addresses"
K = "customers/<str:member_id>/cards"
P = "customers/<str:member_id>/parts"

urlpatterns = [
    path(f"{C}/new/", views.contact_add, name="contact_add"),
    path(f"{C}/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path(f"{C}/<int:contact_id>/remove/", views.contact_remove, name="contact_remove"),
    path(
        f"{C}/<int:contact_id>/make-primary/",
        views.contact_make_primary,
        name="contact_make_primary",
    ),
    path(f"{A}/new/", views.address_add, name="address_add"),
    path(f"{A}/<int:address_id>/edit/", views.address_edit, name="address_edit"),
    path(f"{A}/<int:address_id>/remove/", views.address_remove, name="address_remove"),
    path(
        f"{A}/<int:address_id>/make-default/",
        views.address_make_default,
        name="address_make_default",
    ),
    path(f"{K}/new/", views.card_add, name="card_add"),
    path(f"{K}/<int:card_id>/remove/", views.card_remove, name="card_remove"),
    path(f"{P}/new/", views.part_add, name="part_add"),
    path("customers/<str:member_id>/blocked-members/", views.member_block, name="member_block"),
    path(
        "customers/<str:member_id>/blocked-members/<str:blocked_id>/unblock/",
        views.member_unblock,
        name="member_unblock",
    ),
    path(f"{P}/<int:part_id>/edit/", views.part_edit, name="part_edit"),
]
