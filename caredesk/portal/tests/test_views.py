"""Guest pages: the public forms, the service request from the tracking page, and the guest
account (one-time code by the file SMS backend, orders, tickets and a reply)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caredesk.comms.models import OutboundMessage
from caredesk.inbox.models import Ticket
from caredesk.inbox.tests.conftest import PDF
from caredesk.orders import tracking
from caredesk.portal.models import LoginCode


@pytest.mark.django_db
def test_complaint_page_answers_with_the_reference_and_emails_it():
    client = Client(REMOTE_ADDR="198.51.100.50")
    assert client.get("/complaints").status_code == 200
    response = client.post(
        "/complaints",
        {"name": "Ana", "email": "ana@example.ph", "phone": "0917 123 4567", "message": "Late"},
    )
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert ticket.reference in response.content.decode() and ticket.guest_phone == "+639171234567"
    assert OutboundMessage.objects.filter(
        regarding=ticket.reference, to=["ana@example.ph"]
    ).exists()


@pytest.mark.django_db
def test_complaint_page_says_what_is_wrong():
    client = Client(REMOTE_ADDR="198.51.100.51")
    response = client.post("/complaints", {"name": "Ana", "phone": "12", "message": "Late"})
    assert response.status_code == 400 and "not a valid phone number" in response.content.decode()
    response = client.post(
        "/complaints", {"name": "Ana", "email": "a@example.ph", "message": "x", "website": "spam"}
    )
    assert response.status_code == 400 and "could not be accepted" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_career_page_lists_positions_and_takes_a_pdf(position):
    client = Client(REMOTE_ADDR="198.51.100.52")
    assert position.title in client.get("/careers/apply").content.decode()
    response = client.post(
        "/careers/apply",
        {
            "position": position.pk,
            "name": "Jo",
            "email": "jo@example.ph",
            "cv": SimpleUploadedFile("cv.pdf", PDF),
        },
    )
    assert response.status_code == 201
    assert Ticket.objects.get().kind == "career"


@pytest.mark.django_db
def test_tracking_page_of_a_delivered_order_files_a_service_request(customer, make_order):
    order = make_order(customer, status="delivered")
    client = Client(REMOTE_ADDR="198.51.100.53")
    client.get(f"/track/{order.number}?t={tracking.token_for(order)}")
    page = client.get(f"/track/{order.number}").content.decode()
    assert "Request service" in page
    response = client.post(f"/track/{order.number}/service", {"message": "Motor rattles"})
    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert (ticket.kind, ticket.order, ticket.customer) == ("service", order, customer)
    # without the tracking cookie the page does not exist
    assert Client().get(f"/track/{order.number}/service").status_code == 404


@pytest.mark.django_db
def test_no_service_request_before_delivery(customer, make_order):
    order = make_order(customer, status="scheduled")
    client = Client()
    client.get(f"/track/{order.number}?t={tracking.token_for(order)}")
    assert "Request service" not in client.get(f"/track/{order.number}").content.decode()
    response = client.post(f"/track/{order.number}/service", {"message": "x"})
    assert response.status_code == 409


def _code_from_sms(settings) -> str:
    files = sorted(settings.CAREDESK_SMS_DIR.glob("*.txt"))
    return re.search(r"\b(\d{6})\b", files[-1].read_text()).group(1)


@pytest.mark.django_db
def test_sign_in_by_code_shows_orders_and_open_tickets(customer, make_order, settings):
    from caredesk.inbox import services

    order = make_order(customer)
    ticket = services.service_request(order=order, message="Noise", ip="198.51.100.60")
    client = Client(REMOTE_ADDR="198.51.100.61")
    response = client.post("/account/login", {"phone": customer.phone})
    assert response.status_code == 302
    code = _code_from_sms(settings)
    response = client.post("/account/login?step=code", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/account/orders"
    page = client.get("/account/orders").content.decode()
    assert order.number in page and ticket.reference in page and "Noise" in page
    client.post(f"/account/tickets/{ticket.reference}/reply", {f"{ticket.reference}-body": "Hi"})
    assert ticket.messages.filter(visibility="guest").count() == 2


@pytest.mark.django_db
def test_unknown_number_gets_the_same_answer_and_no_code(settings):
    client = Client(REMOTE_ADDR="198.51.100.62")
    response = client.post("/account/login", {"phone": "0917 000 0000"})
    assert response.status_code == 302 and response["Location"] == "/account/login?step=code"
    page = client.get("/account/login?step=code").content.decode()
    assert "If this number is on one of our orders" in page
    assert not LoginCode.objects.exists() and not list(settings.CAREDESK_SMS_DIR.glob("*"))


@pytest.mark.django_db
def test_code_brute_force_kills_the_code(customer, make_order, settings):
    make_order(customer)
    client = Client(REMOTE_ADDR="198.51.100.63")
    client.post("/account/login", {"phone": customer.phone})
    code = _code_from_sms(settings)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert client.post("/account/login?step=code", {"code": wrong}).status_code == 400
    response = client.post("/account/login?step=code", {"code": code})
    assert response.status_code == 400  # the right code no longer works
    assert client.get("/account/orders")["Location"] == "/account/login"


@pytest.mark.django_db
def test_codes_per_number_are_limited_and_expire(customer, make_order, settings):
    import datetime as dt

    make_order(customer)
    client = Client(REMOTE_ADDR="198.51.100.64")
    for _ in range(5):
        client.post("/account/login", {"phone": customer.phone})
    assert LoginCode.objects.count() == settings.CAREDESK_LOGIN_CODE_MAX_PER_PHONE
    code = _code_from_sms(settings)
    LoginCode.objects.update(expires_at=LoginCode.objects.first().created_at - dt.timedelta(1))
    assert client.post("/account/login?step=code", {"code": code}).status_code == 400


@pytest.mark.django_db
def test_http_sms_backend_posts_to_the_gateway(settings, monkeypatch):
    import json

    from caredesk.portal import sms

    settings.CAREDESK_SMS_BACKEND = "http"
    settings.CAREDESK_SMS_HTTP_URL = "https://sms.example/send"
    settings.CAREDESK_SMS_HTTP_TOKEN = "tok"
    sent = {}

    class Answer:
        status = 202

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

    def fake_urlopen(request, timeout):
        sent.update(json.loads(request.data), auth=request.headers["Authorization"])
        return Answer()

    monkeypatch.setattr(sms.urllib.request, "urlopen", fake_urlopen)
    assert sms.sms_send(to="+639171234567", text="123456 is your code")
    assert sent == {
        "to": "+639171234567",
        "from": "CAREDESK",
        "text": "123456 is your code",
        "auth": "Bearer tok",
    }


@pytest.mark.django_db
def test_acknowledgement_in_filipino_when_the_browser_asks_for_it():
    client = Client(REMOTE_ADDR="198.51.100.70", HTTP_ACCEPT_LANGUAGE="fil-PH,fil;q=0.9,en;q=0.5")
    client.post("/complaints", {"name": "Lito", "email": "lito@example.ph", "message": "Sira"})
    ticket = Ticket.objects.get()
    email = OutboundMessage.objects.get(regarding=ticket.reference)
    assert ticket.locale == "fil" and "Natanggap namin" in email.subject
