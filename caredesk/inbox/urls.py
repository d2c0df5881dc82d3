from django.urls import path

from caredesk.inbox.views import inbox, settings_page, ticket

app_name = "inbox"

urlpatterns = [
    path("inbox/", inbox.index, name="index"),
    path("inbox/careers", inbox.careers, name="careers"),
    path("inbox/settings", settings_page.settings_page, name="settings"),
    path("inbox/<slug:box>", inbox.box, name="box"),
    path("inbox/<slug:box>/bulk", inbox.bulk, name="bulk"),
    path("tickets/<str:reference>", ticket.ticket, name="ticket"),
    path("tickets/<str:reference>/update", ticket.update, name="update"),
    path("tickets/<str:reference>/reply", ticket.reply, name="reply"),
    path("tickets/<str:reference>/merge", ticket.merge, name="merge"),
    path("tickets/<str:reference>/link", ticket.link, name="link"),
    path("attachments/<int:attachment_id>", ticket.attachment, name="attachment"),
]
