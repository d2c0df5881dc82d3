"""Administration pages of the staff workspace: escalation contacts (edited by an
administrator, read by CSRs on order and ticket pages) and the catalog page."""

import pytest

pytestmark = pytest.mark.django_db


def test_escalation_contacts_are_edited_by_admin_and_shown_on_order_and_ticket_pages(
    web_for, admin, csr
):
    from caredesk.audit.models import Event
    from caredesk.inbox.services import complaint_file
    from caredesk.orders.tests.samples import sample_order_number

    number = sample_order_number()
    client = web_for(admin)
    response = client.post(
        "/admin/escalations/",
        {"issue": "Refunds / ledger", "contact": "Finance", "person": "admin", "position": 1},
    )
    assert response.status_code == 302
    client.post("/admin/escalations/", {"issue": "Runs / fleet", "contact": "Store manager"})
    assert Event.objects.filter(action="escalation.saved").count() == 2
    assert web_for(csr).get("/admin/escalations/").status_code == 403
    assert (
        web_for(csr).post("/admin/escalations/", {"issue": "x", "contact": "y"}).status_code == 403
    )

    order_page = web_for(csr).get(f"/orders/{number}/").content.decode()
    assert "Escalate to" in order_page
    assert "Refunds / ledger" in order_page and "Finance (Admin)" in order_page
    assert "Runs / fleet" in order_page and "Store manager" in order_page

    ticket = complaint_file(
        name="Ben", email="ben@example.ph", phone="", message="Refund?", ip="203.0.113.9"
    )
    ticket_page = web_for(csr).get(f"/tickets/{ticket.reference}").content.decode()
    assert "Escalate to" in ticket_page
    assert "Refunds / ledger" in ticket_page and "Finance (Admin)" in ticket_page

    from caredesk.people.models import EscalationContact

    refunds = EscalationContact.objects.get(issue="Refunds / ledger")
    removed = client.post("/admin/escalations/", {"remove": str(refunds.pk)})
    assert removed.status_code == 302
    assert "Refunds / ledger" not in web_for(csr).get(f"/orders/{number}/").content.decode()
    assert client.post("/admin/escalations/", {"remove": "abc"}).status_code == 404
    assert client.post("/admin/escalations/", {"remove": "999999"}).status_code == 404


def test_escalation_contact_needs_an_issue_and_a_contact(web_for, admin):
    response = web_for(admin).post("/admin/escalations/", {"issue": "Refunds", "contact": ""})
    assert response.status_code == 400
    assert b"errorlist" in response.content


def test_catalog_page_adds_and_edits_a_product(web_for, manager, csr):
    from caredesk.orders.models import CatalogItem

    client = web_for(manager)
    added = client.post("/orders/catalog/", {"sku": "LAMP-1", "name": "Lamp", "price": "999"})
    assert added.status_code == 302, added.content.decode()[:2000]
    form = client.get("/orders/catalog/?edit=LAMP-1").content.decode()
    assert 'value="Lamp"' in form and 'value="999.00"' in form
    client.post(
        "/orders/catalog/",
        {"sku": "LAMP-1", "name": "Floor lamp", "price": "1099.00", "active": "on", "edit": "1"},
    )
    item = CatalogItem.objects.get()
    assert item.name == "Floor lamp" and str(item.price) == "1099.00"
    assert web_for(csr).get("/orders/catalog/").status_code == 403
