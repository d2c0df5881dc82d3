from django.urls import path

from caredesk.orders import views

app_name = "orders"

urlpatterns = [
    path("orders/", views.order_list_view, name="list"),
    path("orders/pending/", views.pending, name="pending"),
    path("orders/new/", views.new, name="new"),
    path("orders/catalog/", views.catalog, name="catalog"),
    path("orders/windows/", views.windows, name="windows"),
    path("orders/windows/<int:window_id>/", views.window_change, name="window_change"),
    path("orders/<str:number>/", views.detail, name="detail"),
    path("orders/<str:number>/amend/", views.amend, name="amend"),
    path("orders/<str:number>/pay/", views.pay, name="pay"),
    path("orders/<str:number>/reverse/", views.reverse_payment, name="reverse"),
    path("orders/<str:number>/move/", views.move, name="move"),
    path("orders/<str:number>/record-report/", views.record_report, name="record_report"),
    path("orders/<str:number>/flag/", views.flag, name="flag"),
    path("orders/<str:number>/hold/", views.hold, name="hold"),
    path("orders/<str:number>/alerts/clear/", views.alert_clear, name="alert_clear"),
    path("orders/<str:number>/take-over/", views.take_over, name="take_over"),
    path("orders/<str:number>/call/", views.call, name="call"),
    path("orders/<str:number>/email/", views.email, name="email"),
    path("orders/<str:number>/activity/", views.activity, name="activity"),
    path("track/<str:number>", views.track, name="track"),
]
