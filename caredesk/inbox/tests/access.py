"""Access rules of the inbox pages and ticket endpoints, merged into the project's matrix.
Careers are checked per ticket by the policy (work_careers); the samples are complaints."""

HTML_ACCESS = {
    "inbox:index": "work_inbox",
    "inbox:careers": "work_careers",
    "inbox:settings": "manage_staff",
    "inbox:box": "work_inbox",
    "inbox:bulk": "work_inbox",
    "inbox:ticket": "work_inbox",
    "inbox:update": "work_inbox",
    "inbox:reply": "work_inbox",
    "inbox:merge": "work_inbox",
    "inbox:link": "work_inbox",
    "inbox:attachment": "work_inbox",
}

API_ACCESS = {
    "caredesk_inbox_api_public_complaint": "<public>",
    "caredesk_inbox_api_public_career": "<public>",
    "caredesk_inbox_api_tickets": "work_inbox",
    "caredesk_inbox_api_ticket_get": "work_inbox",
    "caredesk_inbox_api_ticket_create": "work_inbox",
    "caredesk_inbox_api_ticket_patch": "work_inbox",
    "caredesk_inbox_api_ticket_message": "work_inbox",
    "caredesk_inbox_api_ticket_message_files": "work_inbox",
    "caredesk_inbox_api_inbound_email": "<shared secret>",
    "caredesk_inbox_api_calendar_get": "work_inbox",
    "caredesk_inbox_api_calendar_hours": "manage_staff",
    "caredesk_inbox_api_calendar_holiday_add": "manage_staff",
    "caredesk_inbox_api_calendar_holiday_remove": "manage_staff",
}


def _sample_ticket():
    from caredesk.inbox.models import Ticket
    from caredesk.inbox.services import ticket_create

    ticket = Ticket.objects.filter(kind="complaint", subject="Matrix sample").first()
    return ticket or ticket_create(
        actor=None,
        kind="complaint",
        subject="Matrix sample",
        body="Sample complaint",
        source="staff",
        acknowledge=False,
    )


def _sample_attachment_id() -> int:
    from django.core.files.base import ContentFile

    from caredesk.inbox.models import Attachment

    ticket = _sample_ticket()
    item = Attachment.objects.filter(ticket=ticket).first()
    if item is None:
        item = Attachment(ticket=ticket, name="photo.png", content_type="image/png", size=8)
        item.file.save("photo.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
        item.save()
    return item.pk


SAMPLE_KWARGS = {
    "box": lambda: "complaints",
    "reference": lambda: _sample_ticket().reference,
    "attachment_id": _sample_attachment_id,
    "calendar": lambda: "default",
    "day": lambda: "2026-12-25",
}
