"""A customer's data export: queued by the API, produced by the worker's task, every section
present, downloadable as JSON and PDF by permitted roles only, every step audited."""

import json

import pytest

from caredesk.audit.models import Event
from caredesk.privacy.models import CustomerExport
from caredesk.privacy.services.exports import export_build
from caredesk.privacy.tests.conftest import FREE_TEXT, PERSONAL

pytestmark = pytest.mark.django_db


def _export(api, member_id) -> dict:
    response = api.post(f"/api/v1/customers/{member_id}/exports")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued"
    export_build(body["id"])  # what the worker runs
    detail = api.get(f"/api/v1/exports/{body['id']}")
    assert detail.status_code == 200
    return detail.json()


def test_export_holds_every_section_and_downloads_as_json_and_pdf(history, api_for, manager):
    api = api_for(manager)
    detail = _export(api, history.member_id)
    assert detail["status"] == "done"
    document = json.loads(b"".join(api.get(detail["json_url"]).streaming_content))
    sections = document["sections"]
    assert sections["profile"]["email"] == PERSONAL["email"]
    assert [c["value"] for c in sections["contact_points"]] == [PERSONAL["other_email"]]
    assert sections["addresses"][0]["line1"] == PERSONAL["line1"]
    assert sections["cards"] == [
        {"brand": "Visa", "last4": "4242", "expires": "12/2030", "holder_last_name": "Quibuloy"}
    ]
    [order] = sections["orders"]
    assert order["lines"][0]["sku"] == "OIL-1L"
    assert order["payments"][0]["amount"] == "100.00"
    assert sections["emails"][0]["body"].startswith(PERSONAL["email_body"])
    assert sections["notes"][0]["body"] == PERSONAL["note"]
    whats = [entry["what"] for entry in sections["audit_entries"]]
    assert len(whats) >= 4 and not any("." in w.split(" ")[0] for w in whats)
    assert "devices" in sections and "registered_parts" in sections
    assert "4242" in json.dumps(sections["cards"]) and "exp" not in sections["cards"][0]

    pdf = api.get(detail["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    actions = list(
        Event.objects.filter(action__startswith="customer.export").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "customer.export_downloaded",
        "customer.export_downloaded",
        "customer.export_ready",
        "customer.export_requested",
    ]


def test_request_enqueues_the_background_task(
    history, api_for, manager, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(manager).post(f"/api/v1/customers/{history.member_id}/exports")
    assert response.status_code == 202
    task = DBTaskResult.objects.get(task_path="caredesk.privacy.tasks.export_build")
    assert task.args_kwargs["args"] == [response.json()["id"]]


def test_export_not_ready_cannot_be_downloaded(history, api_for, manager):
    api = api_for(manager)
    export_id = api.post(f"/api/v1/customers/{history.member_id}/exports").json()["id"]
    body = api.get(f"/api/v1/exports/{export_id}").json()
    assert "json_url" not in body and body["actions"]["download"]["allowed"] is False
    response = api.get(f"/api/v1/exports/{export_id}/json")
    assert response.status_code == 409 and response.json()["code"] == "not_ready"


def test_csr_can_neither_export_nor_download(history, api_for, csr, manager):
    export = CustomerExport.objects.create(customer=history, requested_by=manager)
    export_build(export.pk)
    api = api_for(csr)
    assert api.post(f"/api/v1/customers/{history.member_id}/exports").status_code == 403
    assert api.get(f"/api/v1/exports/{export.pk}/json").status_code == 403


def test_unknown_customer_and_export_are_404(api_for, manager):
    api = api_for(manager)
    assert api.post("/api/v1/customers/M0000404/exports").status_code == 404
    assert api.get("/api/v1/exports/999999").status_code == 404
    assert api.get("/api/v1/exports/999999/exe").status_code == 404


def test_privacy_page_requests_an_export_and_lists_it(
    history, web_for, manager, django_assert_max_num_queries
):
    client = web_for(manager)
    response = client.post(f"/customers/{history.member_id}/privacy/export/")
    assert response.status_code == 302
    export = CustomerExport.objects.get()
    export_build(export.pk)
    with django_assert_max_num_queries(15):
        page = client.get(f"/customers/{history.member_id}/privacy/")
    html = page.content.decode()
    assert "Ready" in html and f"/api/v1/exports/{export.pk}/pdf" in html
    assert "This cannot be undone" in html


def test_export_gathers_the_customers_tickets_and_invoices(history, api_for, manager):
    """The sections of other apps arrive through their hooks: a complaint the customer filed
    and the invoices of their orders."""
    from caredesk.inbox import services as inbox

    ticket = inbox.complaint_file(
        name=history.display_name,
        email=history.email,
        phone="",
        message="The hinge broke again",
        photos=[],
        ip="203.0.113.71",
    )
    detail = _export(api_for(manager), history.member_id)
    document = json.loads(b"".join(api_for(manager).get(detail["json_url"]).streaming_content))
    sections = document["sections"]
    assert [t["reference"] for t in sections["tickets"]] == [ticket.reference]
    assert "invoices" in sections and "refunds" in sections and "quotes" in sections


def test_export_of_a_full_history_holds_each_record(full_history, api_for, manager):
    """Orders with their payments, invoices, the return and refund, the delivery, the
    complaint with its messages (internal notes stay out), emails sent, notes, sign-in codes
    and the audit entries: each record the customer has, in the JSON document."""
    api = api_for(manager)
    detail = _export(api, full_history.member_id)
    sections = json.loads(b"".join(api.get(detail["json_url"]).streaming_content))["sections"]

    assert sections["profile"]["group"] == FREE_TEXT["group"]
    assert sections["profile"]["status"] == "Open" and sections["profile"]["locale"] == "English"
    orders = {o["number"]: o for o in sections["orders"]}
    assert len(orders) == 2
    references = [p["reference"] for o in orders.values() for p in o["payments"]]
    assert FREE_TEXT["payment_ref"] in references
    assert {i["order"] for i in sections["invoices"]} == set(orders)
    [ret] = sections["returns"]
    assert ret["reason"] == FREE_TEXT["return_reason"] and ret["lines"][0]["quantity"] == 1
    [refund] = sections["refunds"]
    assert refund["reason"] == FREE_TEXT["refund_reason"]
    [stop] = sections["delivery_stops"]
    assert stop["notes"] == FREE_TEXT["stop_note"] and stop["order"] in orders
    [ticket] = sections["tickets"]
    bodies = [m["body"] for m in ticket["messages"]]
    assert bodies[0] == FREE_TEXT["complaint"] and FREE_TEXT["reply"] in bodies[1]
    assert FREE_TEXT["internal_note"] not in json.dumps(ticket)
    assert ticket["email"] == PERSONAL["email"]
    subjects = " ".join(e["subject"] for e in sections["emails"])
    assert "Your blade" in subjects and len(sections["emails"]) >= 3  # free text, invoice, ticket
    assert [n["body"] for n in sections["notes"]] == [PERSONAL["note"]]
    assert sections["sign_in_codes"][0]["phone"] == PERSONAL["phone"]
    whats = " ".join(e["what"] for e in sections["audit_entries"])
    assert "Delivered by the crew" in whats and FREE_TEXT["return_reason"] in json.dumps(
        sections["audit_entries"]
    )


def test_pdf_reads_times_and_days_in_the_one_format():
    from caredesk.lib.display import day, when
    from caredesk.privacy.pdf import _text

    moment = "2026-12-02T06:05:00+00:00"
    assert _text("requested_at", moment) == when(moment) == "Wed 2 Dec 2026, 14:05"
    assert _text("scheduled_delivery_on", "2026-12-02") == day("2026-12-02")
    assert _text("total", "1234.50").endswith("1,234.50")
    assert _text("reference", "2026-12-02") == "2026-12-02"  # not a date field
