"""Customer pages: snapshot (constant query count, sections), create/edit forms with errors
and stale edits, account actions, view-as-customer (read-only, audited), blocklist pages, and
the customer's password-reset page."""

import re

import pytest
from django.urls import reverse

from caredesk.audit.models import Event
from caredesk.comms.models import OutboundMessage
from caredesk.customers.models import BlockedValue, Card, Customer, LoginDevice
from caredesk.customers.services import (
    blocklist_add,
    customer_update,
    password_reset_token,
)

pytestmark = pytest.mark.django_db


def test_snapshot_shows_every_section(rich_customer, csr, web_for):
    response = web_for(csr).get(reverse("customers:snapshot", args=[rich_customer.member_id]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Maria Santos",
        "M0000001",
        "0917 123 4567",
        "Santos household",
        "Kin0 Santos",
        "Visa •••• 4242",
        "Mastercard •••• 5100",
        "BS-0003",
        "30%",
        "2001:db8::7",
        "12 Mabini St",
        "Account opened",
        "FRAUD-STOP",
        "View as customer",
        "0918 999 0000",
        "maria@work.ph",
    ]:
        assert text in html, text


def test_snapshot_query_count_does_not_grow_with_related_rows(
    rich_customer, csr, web_for, django_assert_max_num_queries
):
    client = web_for(csr)
    url = reverse("customers:snapshot", args=[rich_customer.member_id])
    client.get(url)
    with django_assert_max_num_queries(26) as small:  # + money: invoices, refunds, quotes, returns
        client.get(url)
    for i in range(30):
        LoginDevice.objects.create(customer=rich_customer, device=f"Tablet {i}", ip=f"10.0.0.{i}")
        Card.objects.create(
            customer=rich_customer, brand="jcb", last4=f"{i:04d}", exp_month=1, exp_year=2030
        )
        customer_update(actor=csr, customer=rich_customer, changes={"nickname": f"N{i}"})
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_snapshot_timeline_pages_with_htmx(make_customer, csr, web_for):
    customer = make_customer()
    for i in range(30):
        customer_update(actor=csr, customer=customer, changes={"nickname": f"N{i}"})
    client = web_for(csr)
    url = reverse("customers:snapshot", args=[customer.member_id])
    html = client.get(url).content.decode()
    assert html.count('class="tl-event"') == 25
    after = re.search(r'hx-get="\?after=([^"]+)"', html).group(1)
    fragment = client.get(f"{url}?after={after}", headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "<html" not in text
    assert text.count('class="tl-event"') == 6  # 5 older updates + "Account opened"
    assert "Account opened" in text


def test_snapshot_flags_fraud_hold_and_blocked_values(make_customer, csr, web_for):
    customer = make_customer()
    blocklist_add(actor=csr, kind="email", value=customer.email)
    html = (
        web_for(csr).get(reverse("customers:snapshot", args=[customer.member_id])).content.decode()
    )
    assert "Blocked values: 1" in html
    assert "maria.santos@example.ph" in html


def test_unknown_member_is_404(branches, csr, web_for):
    assert web_for(csr).get(reverse("customers:snapshot", args=["M4040404"])).status_code == 404


def test_sales_sees_no_fraud_stop_or_close(make_customer, sales, web_for):
    customer = make_customer()
    html = (
        web_for(sales)
        .get(reverse("customers:snapshot", args=[customer.member_id]))
        .content.decode()
    )
    assert "FRAUD-STOP…" not in html
    assert "Close account" not in html


def test_new_customer_form_creates_and_redirects(branches, csr, web_for):
    response = web_for(csr).post(
        reverse("customers:new"),
        {
            "account_type": "call_shop",
            "company": "Juan's Call Center",
            "phone": "0917-555-0000",
            "email": "juan@callshop.ph",
            "locale": "fil",
            "address_line1": "7 Colon St",
            "address_city": "Cebu City",
            "address_branch": "CEB",
            "address_zone": "CEB-C",
            "card_brand": "visa",
            "card_last4": "1881",
            "card_exp_month": "7",
            "card_exp_year": "28",
            "card_holder_last_name": "Dela Cruz",
        },
    )
    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:snapshot", args=[customer.member_id])
    assert customer.phone == "+639175550000"
    assert customer.cards.get().exp_year == 2028


def test_new_customer_form_shows_field_errors_and_keeps_input(branches, csr, web_for):
    response = web_for(csr).post(
        reverse("customers:new"),
        {"account_type": "business", "first_name": "Ana", "phone": "0917 12", "locale": "en"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "needs a company name" in html or "not a valid phone" in html
    assert 'value="Ana"' in html
    response = web_for(csr).post(
        reverse("customers:new"),
        {
            "account_type": "individual",
            "first_name": "Ana",
            "locale": "en",
            "card_brand": "visa",
            "card_last4": "4111111111111111",
            "card_exp_month": "1",
            "card_exp_year": "2030",
        },
    )
    assert response.status_code == 400
    assert "Never enter a full card number" in response.content.decode()
    assert Customer.objects.count() == 0


def _edit_post(customer, **overrides):
    data = {
        "version": customer.version,
        "account_type": customer.account_type,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "nickname": customer.nickname,
        "email": customer.email,
        "phone": "0917 123 4567",
        "locale": customer.locale,
        "plan": customer.plan,
        "group": "Santos household",
        "address_line1": "12 Mabini St",
        "address_city": "Quezon City",
        "address_branch": "MNL",
        "address_zone": "MNL-N",
    }
    data.update(overrides)
    return data


def test_edit_saves_with_field_level_audit(make_customer, csr, web_for):
    customer = make_customer()
    client = web_for(csr)
    url = reverse("customers:edit", args=[customer.member_id])
    page = client.get(url).content.decode()
    assert 'value="0917 123 4567"' in page
    response = client.post(url, _edit_post(customer, nickname="Maya", marketing_email="on"))
    assert response.status_code == 302
    event = Event.objects.get(action="customer.updated")
    assert event.after == {"nickname": "Maya", "marketing_email": True}
    snapshot = client.get(reverse("customers:snapshot", args=[customer.member_id])).content.decode()
    assert "<del>Mia</del>" in snapshot


def test_stale_edit_names_who_and_when_and_keeps_the_agents_input(
    make_customer, csr, manager, web_for
):
    customer = make_customer()
    customer_update(actor=manager, customer=customer, changes={"nickname": "Ria"})
    response = web_for(csr).post(
        reverse("customers:edit", args=[customer.member_id]),
        _edit_post(customer, nickname="Mimi"),
    )
    assert response.status_code == 412
    html = response.content.decode()
    assert "changed by manager at" in html
    assert 'value="Mimi"' in html  # the agent's input
    assert "<dt>Nickname</dt><dd>Ria</dd>" in html  # the current value
    assert 'name="version" value="2"' in html
    customer.refresh_from_db()
    assert customer.nickname == "Ria"


def test_close_reopen_and_fraud_stop_actions_need_a_reason(make_customer, csr, web_for):
    customer = make_customer()
    client = web_for(csr)
    client.post(reverse("customers:close", args=[customer.member_id]), {"reason": ""})
    customer.refresh_from_db()
    assert customer.is_open
    client.post(reverse("customers:close", args=[customer.member_id]), {"reason": "Moved"})
    customer.refresh_from_db()
    assert not customer.is_open
    response = client.post(
        reverse("customers:reopen", args=[customer.member_id]), {"reason": "Back"}, follow=True
    )
    assert "Account reopened." in response.content.decode()


def test_actions_refuse_get(make_customer, csr, web_for):
    customer = make_customer()
    assert (
        web_for(csr).get(reverse("customers:close", args=[customer.member_id])).status_code == 405
    )


def test_password_reset_action_sends_and_does_not_show_the_link(
    make_customer, csr, web_for, django_capture_on_commit_callbacks
):
    customer = make_customer()
    with django_capture_on_commit_callbacks(execute=True):
        response = web_for(csr).post(
            reverse("customers:password_reset_send", args=[customer.member_id]), follow=True
        )
    assert "Password reset link sent to maria.santos@example.ph" in response.content.decode()
    assert "/account/reset/" not in response.content.decode()
    message = OutboundMessage.objects.get(template_code="password_reset")
    outbox_page = web_for(csr).get(reverse("comms:outbox_message", args=[message.pk]))
    assert outbox_page.status_code == 200
    assert "/account/reset/" not in outbox_page.content.decode()
    assert "not shown to staff" in outbox_page.content.decode()


def test_view_as_customer_is_read_only_and_audited(rich_customer, csr, web_for):
    client = web_for(csr)
    url = reverse("customers:view_as", args=[rich_customer.member_id])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Viewing as Maria Santos — Csr, read-only" in html
    assert "My account" in html and "Visa •••• 4242" in html
    assert "Other emails and phones" in html and "0918 999 0000" in html
    forms = re.findall(r"<form[^>]*data-portal-form[^>]*>", html)
    assert len(forms) == 2 and not any("action=" in f for f in forms)
    assert html.count('<fieldset class="form-grid" disabled>') == 2
    assert client.post(url, {"first_name": "Hacked"}).status_code == 405
    rich_customer.refresh_from_db()
    assert rich_customer.first_name == "Maria"
    event = Event.objects.get(action="customer.viewed_as")
    assert event.actor == csr and event.target_id == str(rich_customer.pk)


def test_view_as_needs_the_capability(make_customer, sales, web_for):
    customer = make_customer()
    assert (
        web_for(sales).get(reverse("customers:view_as", args=[customer.member_id])).status_code
        == 403
    )
    assert not Event.objects.filter(action="customer.viewed_as").exists()


def test_blocklist_page_add_filter_remove(csr, web_for, django_assert_max_num_queries):
    client = web_for(csr)
    response = client.post(
        reverse("customers:blocklist_add"),
        {"kind": "ip", "value": "203.0.113.0/24", "reason": "bot farm"},
    )
    assert response.status_code == 302
    bad = client.post(reverse("customers:blocklist_add"), {"kind": "phone", "value": "12"})
    assert bad.status_code == 400
    assert "not a valid phone" in bad.content.decode()
    for i in range(30):
        blocklist_add(actor=csr, kind="email", value=f"spam{i}@example.com")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("customers:blocklist") + "?kind=ip&active=yes")
    assert "203.0.113.0/24" in page.content.decode()
    assert "spam1@" not in page.content.decode()
    entry = BlockedValue.objects.get(kind="ip")
    client.post(reverse("customers:blocklist_remove", args=[entry.pk]), {"reason": "false alarm"})
    entry.refresh_from_db()
    assert entry.removed_reason == "false alarm"
    removed = client.get(reverse("customers:blocklist") + "?active=no").content.decode()
    assert "false alarm" in removed


def test_finance_sees_the_blocklist_without_the_add_form(finance, web_for):
    html = web_for(finance).get(reverse("customers:blocklist")).content.decode()
    assert "Block a value" not in html


def test_customer_sets_password_once_with_the_link(make_customer, client):
    customer = make_customer()
    url = reverse("customers:password_reset", args=[password_reset_token(customer)])
    assert "Set a new password" in client.get(url).content.decode()
    mismatch = client.post(url, {"password": "long-enough-pass-1", "password_again": "other"})
    assert mismatch.status_code == 400
    weak = client.post(url, {"password": "123", "password_again": "123"})
    assert weak.status_code == 400
    done = client.post(url, {"password": "tamaraw-mango-42", "password_again": "tamaraw-mango-42"})
    assert "Your password is set" in done.content.decode()
    customer.refresh_from_db()
    assert customer.password.startswith("argon2")
    assert "tamaraw" not in customer.password
    used = client.get(url)
    assert used.status_code == 400
    assert "expired or was already used" in used.content.decode()


def test_forged_and_expired_links_get_the_same_neutral_message(make_customer, client, settings):
    from datetime import timedelta
    from unittest import mock

    from django.core import signing

    customer = make_customer()
    forged = client.get(reverse("customers:password_reset", args=["abc:def:ghi"]))
    token = password_reset_token(customer)
    later = signing.time.time() + timedelta(hours=25).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=later):
        expired = client.get(reverse("customers:password_reset", args=[token]))
    assert forged.status_code == expired.status_code == 400
    assert forged.content == expired.content


def test_snapshot_offers_email_and_notes_and_loads_the_activity(make_customer, csr, web_for):
    from caredesk.comms.models import ActivityCode
    from caredesk.comms.services import note_add

    customer = make_customer()
    code = ActivityCode.objects.filter(kind="activity", active=True).first()
    result = ActivityCode.objects.filter(kind="result", active=True).first()
    note_add(
        actor=csr,
        customer=customer,
        subject="Called about delivery",
        body="Left message",
        activity_code=code.code,
        result_code=result.code,
    )
    client = web_for(csr)
    html = client.get(reverse("customers:snapshot", args=[customer.member_id])).content.decode()
    assert f"/compose/?customer={customer.member_id}" in html
    history_url = reverse("comms:history", args=[customer.member_id])
    assert f'hx-get="{history_url}"' in html
    fragment = client.get(history_url, headers={"HX-Request": "true", "HX-Target": "history-list"})
    assert "Called about delivery" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
