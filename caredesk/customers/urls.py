from django.urls import path

from caredesk.customers.search import views as search_views

app_name = "customers"

urlpatterns = [
    path("customers/", search_views.search_page, name="search"),
    path("customers/instant/", search_views.instant, name="instant"),
    path("customers/<str:member_id>/", search_views.snapshot, name="snapshot"),
]
