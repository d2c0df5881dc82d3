import pytest

from caredesk.comms.models import OutboundMessage
from caredesk.comms.services import chat_alert, email_send_template, note_add

pytestmark = pytest.mark.django_db


def test_api_compose_and_send(api_for, csr, fil_customer):
    response = api_for(csr).post(
        f"/api/v1/customers/{fil_customer.member_id}/emails",
        json={"template_code": "free_text", "cc": ["office@example.com"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued" and body["to"] == ["maria.santos@example.ph"]
    assert body["subject"] == "Mensahe mula sa Caredesk"
    assert body["text_body"].startswith("Hi Maria,")
    assert body["customer"] == fil_customer.member_id


@pytest.mark.parametrize(
    "payload, status, field",
    [
        ({"include_customer_address": False}, 400, "to"),
        ({"to": ["bad@"], "subject": "x", "body": "y"}, 400, "to"),
        ({"subject": "x", "body": "{% for %}"}, 400, "body"),
        ({"subject": "x", "body": "y", "regarding": "INV-1"}, 400, "regarding"),
        ({"subject": "x", "body": "y", "body_format": "pdf"}, 422, "body_format"),
        ({"template_code": "nope"}, 400, "template_code"),
    ],
)
def test_api_bad_email_input(api_for, csr, customer, payload, status, field):
    response = api_for(csr).post(f"/api/v1/customers/{customer.member_id}/emails", json=payload)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"] and body["code"]
    assert body.get("field") == field or body["errors"][0]["field"] == field
    assert not OutboundMessage.objects.exists()


def test_api_unknown_customer_is_404(api_for, csr):
    response = api_for(csr).get("/api/v1/customers/M9999999/activity")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_api_activity_lists_emails_and_notes(api_for, csr, customer, django_assert_max_num_queries):
    for i in range(10):
        email_send_template(actor=csr, customer=customer, template_code="free_text", context={})
        note_add(
            actor=csr,
            customer=customer,
            subject=f"Note {i}",
            activity_code="email",
            result_code="satisfied",
        )
    client = api_for(csr)
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/customers/{customer.member_id}/activity?per_page=50")
    body = response.json()
    assert response.status_code == 200 and body["count"] == 20
    first = body["results"][0]
    assert first["type"] == "note" and first["note"]["subject"] == "Note 9"
    emails = client.get(f"/api/v1/customers/{customer.member_id}/activity?type=email").json()
    assert emails["count"] == 10 and emails["results"][0]["email"]["status"] == "queued"
    bad = client.get(f"/api/v1/customers/{customer.member_id}/activity?type=bogus")
    assert bad.status_code == 400


def test_api_add_note(api_for, sales, customer):
    client = api_for(sales)
    response = client.post(
        f"/api/v1/customers/{customer.member_id}/notes",
        json={"subject": "Showroom visit", "activity_code": "visit", "result_code": "satisfied"},
    )
    assert response.status_code == 201
    assert response.json()["activity_code"] == "visit"
    bad = client.post(
        f"/api/v1/customers/{customer.member_id}/notes",
        json={"subject": "x", "activity_code": "visit", "result_code": "meh"},
    )
    assert bad.status_code == 400 and bad.json()["field"] == "result_code"


def test_api_outbox(api_for, csr, customer, chat_api, django_assert_max_num_queries):
    for _ in range(3):
        email_send_template(actor=csr, customer=customer, template_code="free_text", context={})
    chat_alert(event_type="fraud_hit", text="Card 4242 matched the blocklist")
    client = api_for(csr)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/outbox?limit=2")
    body = response.json()
    assert body["count"] == 4 and len(body["results"]) == 2
    assert body["results"][0]["kind"] == "chat"
    chats = client.get("/api/v1/outbox?kind=chat").json()
    assert chats["count"] == 1 and chats["results"][0]["event_type"] == "fraud_hit"
    assert client.get("/api/v1/outbox?status=nope").status_code == 422


def test_api_html_email_is_cleaned_like_the_compose_page(api_for, csr, customer):
    response = api_for(csr).post(
        f"/api/v1/customers/{customer.member_id}/emails",
        json={
            "subject": "Hello",
            "body_format": "html",
            "body": '<p onclick="x()">Hi <em>{{ customer.first_name }}</em></p>'
            '<script>alert(1)</script><a href="javascript:alert(2)">x</a>',
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["html_body"] == '<p>Hi <em>Ana</em></p><a rel="noopener">x</a>'
    assert body["text_body"] == "Hi Ana\nx\n"
    assert OutboundMessage.objects.get().html_body == body["html_body"]
