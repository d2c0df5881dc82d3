"""Orders wired to the other modules: FRAUD-STOP blocklist on placement and card payments,
and the order emails through the durable outbox."""

import pytest

from caredesk.audit.models import Event
from caredesk.comms.models import OutboundMessage
from caredesk.customers.models import Card
from caredesk.customers.services import blocklist_add
from caredesk.lib.errors import Conflict, Invalid
from caredesk.orders.emails import order_email_send
from caredesk.orders.models import Alert, Payment
from caredesk.orders.services import payment_record

pytestmark = pytest.mark.django_db


def _finance_with_card(customer):
    return Card.objects.create(
        customer=customer,
        brand="visa",
        last4="4242",
        exp_month=3,
        exp_year=2030,
        holder_last_name="Santos",
    )


def test_first_payment_queues_the_confirmation_in_the_customers_language(
    make_customer, make_order, finance
):
    customer = make_customer(email="ligaya@example.ph", locale="fil")
    order = make_order(cust=customer)
    payment_record(actor=finance, order=order, method="cash", amount="500.00")
    message = OutboundMessage.objects.get(template_code="order_confirmation")
    assert message.to == ["ligaya@example.ph"]
    assert message.locale == "fil"
    assert order.number in message.subject + message.text_body
    assert "/track/" in message.text_body and "?t=" in message.text_body


def test_confirmation_without_an_email_still_confirms(make_order, finance, customer):
    order = make_order()
    payment_record(actor=finance, order=order, method="cash", amount="100.00")
    order.refresh_from_db()
    assert order.status == "pending"
    assert not OutboundMessage.objects.exists()


def test_send_update_and_resend_confirmation(make_customer, make_order, csr, finance, api_for):
    customer = make_customer(email="ana@example.ph")
    order = make_order(cust=customer)
    with pytest.raises(Invalid, match="not confirmed"):
        order_email_send(actor=csr, order=order, template_code="resend_confirmation")
    payment_record(actor=finance, order=order, method="cash", amount="100.00")
    response = api_for(csr).post(
        f"/api/v1/orders/{order.number}/emails", json={"template": "send_update"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["to"] == ["ana@example.ph"]
    update = OutboundMessage.objects.get(template_code="send_update")
    assert "Pending factory shipment" in update.text_body
    assert Event.objects.filter(action="order.email_queued", target_id=str(order.pk)).exists()
    bad = api_for(csr).post(f"/api/v1/orders/{order.number}/emails", json={"template": "x"})
    assert bad.status_code == 400


def test_send_update_button_on_the_order_page(make_customer, make_order, csr, web_for):
    customer = make_customer(email="ana@example.ph")
    order = make_order(cust=customer)
    client = web_for(csr)
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert 'value="send_update"' in page
    response = client.post(
        f"/orders/{order.number}/email/", {"template": "send_update"}, follow=True
    )
    assert "Send update queued to ana@example.ph" in response.content.decode()


def test_order_for_a_blocked_email_is_suspended_with_an_alert(make_customer, make_order, csr):
    customer = make_customer(email="fraudster@example.ph")
    blocklist_add(actor=csr, kind="email", value="FRAUDSTER@example.ph", reason="chargebacks")
    order = make_order(cust=customer)
    order.refresh_from_db()
    assert order.suspended is True
    assert Alert.objects.filter(order=order, kind=Alert.Kind.FRAUD_HIT).exists()
    event = Event.objects.get(action="safety.blocked_attempt", target_id=str(customer.pk))
    assert event.data["order"] == order.number


def test_card_payment_with_a_blocked_card_is_refused_and_recorded(
    make_customer, make_order, csr, finance
):
    customer = make_customer()
    card = _finance_with_card(customer)
    order = make_order(cust=customer)
    blocklist_add(
        actor=csr,
        kind="card",
        value={
            "brand": card.brand,
            "last4": card.last4,
            "exp_month": card.exp_month,
            "exp_year": card.exp_year,
            "holder_last_name": card.holder_last_name,
        },
        reason="stolen card",
    )
    with pytest.raises(Conflict) as refused:
        payment_record(
            actor=finance, order=order, method="card", card_last4="4242", amount="100.00"
        )
    assert refused.value.code == "blocked"
    assert not Payment.objects.exists()
    assert Event.objects.filter(
        action="safety.blocked_attempt", target_id=str(customer.pk)
    ).exists()
    payment_record(actor=finance, order=order, method="card", card_last4="1111", amount="100.00")
    assert Payment.objects.count() == 1


def test_member_snapshot_lists_the_customers_orders_in_constant_queries(
    make_customer, make_order, csr, web_for, django_assert_max_num_queries
):
    customer = make_customer(email="ana@example.ph")
    orders = [make_order(cust=customer) for _ in range(3)]
    client = web_for(csr)
    url = f"/customers/{customer.member_id}/"
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(5):
        make_order(cust=customer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert all(o.number in html for o in orders)
    assert f"/orders/new/?customer={customer.member_id}" in html


def test_member_snapshot_lists_payments_of_every_order_in_constant_queries(
    make_customer, make_order, csr, finance, web_for, django_assert_max_num_queries
):
    from caredesk.orders.services.payments import payment_record

    customer = make_customer(email="ana@example.ph")
    first, second = make_order(cust=customer), make_order(cust=customer)
    payment_record(actor=finance, order=first, method="card", amount="10.00", card_last4="4242")
    payment_record(actor=finance, order=second, method="cash", amount="5.00")
    client = web_for(csr)
    url = f"/customers/{customer.member_id}/"
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(3):
        payment_record(actor=finance, order=second, method="cash", amount="1.00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    section = html.split('id="snapshot-payments"', 1)[1].split("</section>", 1)[0]
    assert "•••• 4242" in section and "₱10.00" in section and "₱5.00" in section
    assert first.number in section and second.number in section
    assert section.count("<tr>") == 1 + 5  # header + five payments, newest first
    assert section.index("₱1.00") < section.index("₱10.00")


def test_snapshot_orders_panel_hidden_without_view_orders(
    make_customer, make_order, web_for, staff_factory
):
    from django.contrib.auth.models import Permission

    customer = make_customer()
    order = make_order(cust=customer)
    viewer = staff_factory("viewer")
    viewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="staff", codename="view_customer")
    )
    html = web_for(viewer).get(f"/customers/{customer.member_id}/").content.decode()
    assert customer.member_id in html
    assert order.number not in html
    assert 'id="snapshot-payments"' not in html


def test_compose_regarding_an_order_uses_its_data_and_refuses_other_customers_orders(
    make_customer, make_order, csr, django_assert_max_num_queries
):
    from caredesk.comms.regarding import regarding_choices
    from caredesk.comms.services import email_compose_send

    customer = make_customer(email="ana@example.ph")
    other = make_customer(email="ben@example.ph")
    mine = [make_order(cust=customer) for _ in range(4)]
    theirs = make_order(cust=other)
    with django_assert_max_num_queries(3):
        numbers = [item.number for item in regarding_choices(customer)]
    assert sorted(numbers) == sorted(o.number for o in mine)
    message = email_compose_send(
        actor=csr,
        customer=customer,
        to=["ana@example.ph"],
        cc=None,
        include_customer_address=False,
        subject="Your order",
        body="Order {{ order.number }}: {{ order.total }}",
        body_format="text",
        template_code="resend_confirmation",
        regarding=mine[0].number,
    )
    assert mine[0].number in message.text_body and "₱" in message.text_body
    with pytest.raises(Invalid, match="not an order"):
        email_compose_send(
            actor=csr,
            customer=customer,
            to=["ana@example.ph"],
            cc=None,
            include_customer_address=False,
            subject="x",
            body="x",
            body_format="text",
            regarding=theirs.number,
        )


def test_order_events_join_the_customers_activity_history(make_customer, make_order, csr):
    from caredesk.comms.selectors import customer_history_events

    customer = make_customer()
    order = make_order(cust=customer)
    actions = set(customer_history_events(customer, kind="order").values_list("action", flat=True))
    assert "order.created" in actions
    assert str(order.pk) in set(
        customer_history_events(customer, kind="order").values_list("target_id", flat=True)
    )


def test_instant_search_finds_an_order_by_number(make_customer, make_order, csr, web_for, api_for):
    customer = make_customer(first_name="Rosario", last_name="Lacson")
    order = make_order(cust=customer)
    html = web_for(csr).get("/customers/instant/", {"q": order.number.lower()}).content.decode()
    assert f"/orders/{order.number}/" in html
    assert customer.member_id in html
    results = api_for(csr).get(f"/api/v1/customers?q={order.number}").json()["results"]
    assert results[0]["member_id"] == customer.member_id
    hidden = web_for(make_staff_viewer()).get("/customers/instant/", {"q": order.number})
    assert f"/orders/{order.number}/" not in hidden.content.decode()


def make_staff_viewer():
    from django.contrib.auth.models import Permission

    from conftest import make_staff

    viewer = make_staff("searcher")
    viewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="staff", codename="search_customers")
    )
    return viewer


def test_fraud_hits_alert_the_team_chat(make_customer, make_order, csr, finance, settings):
    settings.CAREDESK_CHAT_ALERT_EVENTS = ["fraud_hit"]
    customer = make_customer(email="fraudster@example.ph")
    blocklist_add(actor=csr, kind="email", value="fraudster@example.ph", reason="chargebacks")
    order = make_order(cust=customer)
    alerts = OutboundMessage.objects.filter(kind="chat", event_type="fraud_hit")
    assert [order.number in a.text_body for a in alerts] == [True]
    with pytest.raises(Conflict):
        from caredesk.customers.services import blocklist_enforce

        blocklist_enforce(actor=csr, action="customer.create", emails=["fraudster@example.ph"])
    assert OutboundMessage.objects.filter(kind="chat", event_type="fraud_hit").count() == 2


def test_snapshot_timeline_merges_order_events(make_customer, make_order):
    from caredesk.customers.selectors import customer_timeline

    customer = make_customer()
    order = make_order(cust=customer)
    actions = [
        (i.event.action, i.event.target_label) for i in customer_timeline(customer).items if i.event
    ]
    assert ("order.created", str(order)) in actions
    hidden = customer_timeline(customer, with_orders=False).items
    assert all(i.event.target_type == "customers.customer" for i in hidden if i.event)


def test_order_activity_lists_events_emails_and_notes_filed_against_it(
    make_customer, make_order, csr, finance, web_for, django_assert_max_num_queries
):
    from caredesk.comms.models import ActivityCode

    customer = make_customer(email="ana@example.ph")
    order = make_order(cust=customer)
    other = make_order(cust=customer)
    payment_record(actor=finance, order=order, method="cash", amount="100.00")
    order_email_send(actor=csr, order=order, template_code="send_update")
    client = web_for(csr)
    activity = ActivityCode.objects.filter(kind="activity", active=True).first()
    result = ActivityCode.objects.filter(kind="result", active=True).first()
    url = f"/orders/{order.number}/activity/"
    response = client.post(
        f"/customers/{customer.member_id}/notes/",
        {
            "subject": "Asked about delivery",
            "activity_code": activity.code,
            "result_code": result.code,
            "order_number": order.number,
            "next": url,
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    with django_assert_max_num_queries(16):
        html = client.get(url).content.decode()
    assert "Asked about delivery" in html
    assert "order.payment_recorded" in html or "Payment" in html
    assert "Send update" in html or "send_update" in html
    assert other.number not in html
    notes_only = client.get(
        url, {"type": "note"}, headers={"HX-Request": "true", "HX-Target": "history-list"}
    )
    body = notes_only.content.decode()
    assert "Asked about delivery" in body and "order.created" not in body
