"""Inbox writes: `from caredesk.inbox.services import ticket_update, complaint_file, ...`."""

from caredesk.inbox.services.inbound import inbound_email_receive
from caredesk.inbox.services.public import career_apply, complaint_file, service_request
from caredesk.inbox.services.tickets import (
    UNSET,
    reference_allocate,
    ticket_create,
    ticket_get,
    ticket_guest_reply,
    ticket_link,
    ticket_merge,
    ticket_reply,
    ticket_update,
)

__all__ = [
    "UNSET",
    "career_apply",
    "complaint_file",
    "inbound_email_receive",
    "reference_allocate",
    "service_request",
    "ticket_create",
    "ticket_get",
    "ticket_guest_reply",
    "ticket_link",
    "ticket_merge",
    "ticket_reply",
    "ticket_update",
]
