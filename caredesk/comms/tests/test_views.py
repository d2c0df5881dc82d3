from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from caredesk.comms.models import ActivityCode, ActivityNote, EmailTemplate, OutboundMessage
from caredesk.comms.outbox import retention_purge
from caredesk.comms.services import chat_alert, email_send_template, note_add

pytestmark = pytest.mark.django_db


def _fill_history(csr, customer, n=12):
    for i in range(n):
        email_send_template(actor=csr, customer=customer, template_code="free_text", context={})
        note_add(
            actor=csr,
            customer=customer,
            subject=f"Call {i}",
            activity_code="call_out",
            result_code="left_message",
        )


def test_compose_copies_a_template_in_the_customers_language(web_for, csr, fil_customer):
    response = web_for(csr).get(f"/compose/?customer={fil_customer.member_id}&template=send_update")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Update sa inyong order {{ order.number }}" in html
    assert "Send to maria.santos@example.ph" in html


def test_compose_send_queues_and_redirects_to_history(web_for, csr, customer):
    client = web_for(csr)
    response = client.post(
        f"/compose/?customer={customer.member_id}",
        {
            "customer": customer.member_id,
            "include_customer_address": "on",
            "to": "",
            "cc": "",
            "regarding": "",
            "template_code": "free_text",
            "subject": "Hello",
            "body_format": "text",
            "body": "Hi {{ customer.first_name }}",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.member_id}/activity/"
    assert OutboundMessage.objects.get().text_body == "Hi Ana"
    page = client.get(response["Location"]).content.decode()
    assert "Email queued: Hello" in page and "Queued" in page


def test_compose_with_bad_input_shows_the_error_and_queues_nothing(web_for, csr, customer):
    response = web_for(csr).post(
        f"/compose/?customer={customer.member_id}",
        {
            "customer": customer.member_id,
            "to": "not-an-address",
            "cc": "",
            "regarding": "",
            "template_code": "free_text",
            "subject": "Hello",
            "body_format": "text",
            "body": "Hi {{ customer.first_name }",
        },
    )
    assert response.status_code == 400
    assert "&#x27;not-an-address&#x27; is not a valid email address." in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_preview_renders_what_will_be_sent(web_for, csr, customer):
    response = web_for(csr).post(
        "/compose/preview/",
        {
            "customer": customer.member_id,
            "include_customer_address": "on",
            "to": "",
            "cc": "",
            "regarding": "",
            "template_code": "free_text",
            "subject": "For {{ customer.name }}",
            "body_format": "html",
            "body": "<p>Hi <b>{{ customer.first_name }}</b></p>",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "For Ana Reyes" in html
    assert 'sandbox srcdoc="&lt;p&gt;Hi &lt;b&gt;Ana&lt;/b&gt;&lt;/p&gt;' in html
    bad = web_for(csr).post(
        "/compose/preview/",
        {
            "customer": customer.member_id,
            "include_customer_address": "on",
            "template_code": "free_text",
            "subject": "x",
            "body_format": "text",
            "body": "{{ nope }}",
        },
    )
    assert bad.status_code == 400 and "Unknown variable: nope" in bad.content.decode()
    assert not OutboundMessage.objects.exists()


def test_history_page_lists_everything_in_few_queries(
    web_for, csr, customer, django_assert_max_num_queries
):
    _fill_history(csr, customer)
    client = web_for(csr)
    with django_assert_max_num_queries(12):
        response = client.get(f"/customers/{customer.member_id}/activity/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="comms-entry ') == 24
    assert "Left Message" in html and "A message from Caredesk" in html
    notes_only = client.get(f"/customers/{customer.member_id}/activity/?type=note")
    assert notes_only.content.decode().count("comms-entry comms-note") == 12
    assert "comms-entry comms-email" not in notes_only.content.decode()


def test_history_query_count_does_not_grow_with_entries(
    web_for, csr, customer, django_assert_max_num_queries
):
    _fill_history(csr, customer, n=30)
    client = web_for(csr)
    with django_assert_max_num_queries(12):
        response = client.get(f"/customers/{customer.member_id}/activity/?page=2")
    assert response.status_code == 200
    assert "Page 2 of 3" in response.content.decode()


def test_note_added_from_the_history_page(web_for, csr, customer):
    client = web_for(csr)
    response = client.post(
        f"/customers/{customer.member_id}/notes/",
        {
            "subject": "Customer called about delivery",
            "body": "Prefers mornings",
            "activity_code": "call_in",
            "result_code": "satisfied",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Customer called about delivery" in page and "Satisfied" in page
    bad = client.post(
        f"/customers/{customer.member_id}/notes/",
        {"subject": "", "activity_code": "call_in", "result_code": "satisfied"},
    )
    assert bad.status_code == 400 and "A subject is required." in bad.content.decode()


def test_outbox_page_shows_status_and_message_as_sent(
    web_for, csr, customer, chat_api, django_assert_max_num_queries
):
    for _ in range(5):
        email_send_template(actor=csr, customer=customer, template_code="free_text", context={})
    chat_alert(event_type="showroom_visit", text="Walk-in at MNL")
    client = web_for(csr)
    with django_assert_max_num_queries(8):
        response = client.get("/outbox/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(">Queued</span>") == 6
    assert "Chat · showroom_visit" in html
    message = OutboundMessage.objects.filter(kind="email").first()
    detail = client.get(f"/outbox/{message.pk}/").content.decode()
    assert "sandbox srcdoc=" in detail and escape(message.message_id) in detail


def test_retention_removes_old_bodies_and_keeps_the_rest(web_for, csr, customer, settings):
    settings.CAREDESK_EMAIL_RETENTION_DAYS = 90
    old = email_send_template(
        actor=csr, customer=customer, template_code="free_text", context={}, regarding="SO-1"
    )
    recent = email_send_template(
        actor=csr, customer=customer, template_code="free_text", context={}
    )
    old_queued = email_send_template(
        actor=csr, customer=customer, template_code="free_text", context={}
    )
    long_ago = timezone.now() - timedelta(days=91)
    OutboundMessage.objects.filter(pk__in=[old.pk, recent.pk]).update(
        status="sent", sent_at=timezone.now()
    )
    OutboundMessage.objects.filter(pk__in=[old.pk, old_queued.pk]).update(created_at=long_ago)
    assert retention_purge() == 1
    assert retention_purge() == 0
    old.refresh_from_db()
    assert old.text_body == "" and old.html_body == "" and old.body_removed_at
    assert old.subject == "A message from Caredesk" and old.to == ["ana.reyes@example.com"]
    assert old.regarding == "SO-1" and old.status == "sent"
    assert OutboundMessage.objects.get(pk=recent.pk).text_body
    assert OutboundMessage.objects.get(pk=old_queued.pk).text_body  # not yet sent: kept
    page = web_for(csr).get(f"/customers/{customer.member_id}/activity/").content.decode()
    assert "Body removed by retention policy." in page
    detail = web_for(csr).get(f"/outbox/{old.pk}/").content.decode()
    assert "Body removed by retention policy" in detail


def test_periodic_jobs_are_enqueued_once_per_period():
    from caredesk.comms.schedule import enqueue_due

    assert enqueue_due({"outbox_sweep": 60, "retention": 3600}) == ["outbox_sweep", "retention"]
    assert enqueue_due({"outbox_sweep": 60, "retention": 3600}) == []


def test_template_edit_refuses_bad_template_with_message(web_for, manager):
    client = web_for(manager)
    template = EmailTemplate.objects.get(code="free_text", locale="en")
    response = client.post(
        "/email-templates/free_text/en/",
        {
            "version": template.version,
            "subject": "Hi",
            "text_body": "{{ customer.secret }}",
            "html_body": "",
        },
    )
    assert response.status_code == 400
    assert "Unknown variable: customer.secret" in response.content.decode()
    ok = client.post(
        "/email-templates/free_text/en/",
        {
            "version": template.version,
            "subject": "Hello from {{ business.name }}",
            "text_body": "Hi {{ customer.first_name }}",
            "html_body": "",
        },
    )
    assert ok.status_code == 302
    template.refresh_from_db()
    assert template.subject == "Hello from {{ business.name }}" and template.version == 2


def test_codes_page_adds_and_deactivates(web_for, manager):
    client = web_for(manager)
    assert (
        client.post(
            "/activity-codes/", {"kind": "result", "code": "callback", "label": "Call back later"}
        ).status_code
        == 302
    )
    item = ActivityCode.objects.get(code="callback")
    client.post(f"/activity-codes/{item.pk}/", {"label": "Call back"})
    item.refresh_from_db()
    assert item.label == "Call back" and not item.active
    bad = client.post("/activity-codes/", {"kind": "result", "code": "callback", "label": "x"})
    assert bad.status_code == 409 and "already exists" in bad.content.decode()


def test_template_edit_shows_the_saved_version_with_example_data(web_for, manager):
    response = web_for(manager).get("/email-templates/send_update/fil/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Update sa inyong order SO-2026-00042" in html
    assert "Sharpened and checked" in html


HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "add-note"}


def _toast(response) -> dict:
    import json

    return json.loads(response["HX-Trigger"])["caredesk:toast"]


def test_note_added_by_htmx_answers_a_fresh_form_and_a_toast(web_for, csr, customer):
    import json

    response = web_for(csr).post(
        f"/customers/{customer.member_id}/notes/",
        {"subject": "Asked for a callback", "activity_code": "call_in", "result_code": "satisfied"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert _toast(response) == {"text": "Note added.", "tone": "success"}
    assert "caredesk:activity-changed" in json.loads(response["HX-Trigger"])
    assert 'id="add-note"' in html and "Asked for a callback" not in html
    assert "<html" not in html


def test_note_refused_by_htmx_answers_the_form_with_its_errors(web_for, csr, customer):
    response = web_for(csr).post(
        f"/customers/{customer.member_id}/notes/",
        {"subject": "", "activity_code": "call_in", "result_code": "satisfied"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "A subject is required." in response.content.decode()
    assert _toast(response)["tone"] == "error"
    assert not ActivityNote.objects.filter(customer=customer).exists()


def test_code_saved_by_htmx_answers_its_row_and_a_toast(web_for, manager):
    code = ActivityCode.objects.get(code="call_in")
    response = web_for(manager).post(
        f"/activity-codes/{code.pk}/",
        {"label": "Inbound call", "active": "on"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<tr id="code-{code.pk}">') and 'value="Inbound call"' in html
    assert _toast(response) == {"text": "Code saved: Inbound call.", "tone": "success"}
    refused = web_for(manager).post(
        f"/activity-codes/{code.pk}/", {"label": " "}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 400
    assert _toast(refused) == {"text": "A label is required.", "tone": "error"}
    code.refresh_from_db()
    assert code.label == "Inbound call" and code.active


def test_preview_refused_says_why_in_a_toast(web_for, csr, customer):
    response = web_for(csr).post(
        "/compose/preview/",
        {
            "customer": customer.member_id,
            "include_customer_address": "on",
            "template_code": "free_text",
            "subject": "x",
            "body_format": "text",
            "body": "{{ nope }}",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert _toast(response)["tone"] == "error"
    assert "Unknown variable: nope" in _toast(response)["text"]
