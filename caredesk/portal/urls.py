from django.urls import path

from caredesk.portal import views

app_name = "portal"

urlpatterns = [
    path("complaints", views.complaints, name="complaints"),
    path("careers/apply", views.careers_apply, name="careers"),
    path("track/<str:number>/service", views.service_request, name="service_request"),
    path("account/login", views.login, name="login"),
    path("account/logout", views.logout, name="logout"),
    path("account/orders", views.orders, name="orders"),
    path("account/tickets/<str:reference>/reply", views.ticket_reply, name="ticket_reply"),
    path("account/files/<int:attachment_id>", views.attachment, name="attachment"),
]
