"""Privacy hooks: the customer's tickets in the export; erasure leaves tombstones."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from caredesk.inbox import privacy, services
from caredesk.inbox.models import Attachment, Ticket
from caredesk.inbox.tests.conftest import PNG


@pytest.mark.django_db
def test_export_and_erase_a_customers_tickets(csr, customer):
    ticket = services.complaint_file(
        name="Maria",
        email=customer.email,
        phone="",
        message="Broken hinge",
        photos=[SimpleUploadedFile("hinge.png", PNG)],
        ip="203.0.113.70",
    )
    services.ticket_reply(actor=csr, ticket=ticket, body="Internal: check stock", internal=True)
    data = privacy.export(customer)
    (row,) = data["tickets"]
    assert row["reference"] == ticket.reference and row["attachments"] == ["hinge.png"]
    assert [m["body"] for m in row["messages"]] == ["Broken hinge"]  # no internal notes
    privacy.erase(customer, actor=csr)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.guest_name, ticket.guest_email) == ("[erased]", "")
    assert ticket.messages.get(visibility="guest").body == "[erased]"
    assert not Attachment.objects.exists()
