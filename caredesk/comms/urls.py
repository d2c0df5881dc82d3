from django.urls import path

from caredesk.comms import views

app_name = "comms"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:message_id>/", views.outbox_message, name="outbox_message"),
    path("email-templates/", views.templates, name="templates"),
    path("email-templates/<slug:code>/<slug:locale>/", views.template_edit, name="template_edit"),
    path("compose/", views.compose, name="compose"),
    path("compose/preview/", views.compose_preview, name="compose_preview"),
    path("customers/<str:member_id>/activity/", views.history, name="history"),
    path("customers/<str:member_id>/notes/", views.note_add, name="note_add"),
    path("activity-codes/", views.codes, name="codes"),
    path("activity-codes/<int:code_id>/", views.code_edit, name="code_edit"),
]
