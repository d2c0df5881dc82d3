"""Fixtures of the privacy tests: the orders app's catalog and orders, and one customer with a
history in every app (profile, contacts, address, card, orders with a payment, an email, a
note, audited changes)."""

import pytest

from caredesk.orders.tests.conftest import (  # noqa: F401 - fixtures
    branch,
    catalog,
    customer,
    make_customer,
    make_order,
)

PERSONAL = {
    "first_name": "Ximena",
    "last_name": "Quibuloy",
    "email": "ximena.quibuloy@example.ph",
    "phone": "+639171234567",
    "other_email": "xq.office@example.ph",
    "line1": "77 Narra Lane",
    "note": "Asked about the Zulueta warranty",
    "email_body": "Dear Ximena, your blade is ready",
}

# Free text written by or about the customer across the other apps (the full history).
FREE_TEXT = {
    "group": "Quibuloy household",
    "complaint": "Kalachuchi blender arrived cracked",
    "reply": "Sampaguita replacement is on its way",
    "internal_note": "She works at the Tagaytay Marigold office",
    "return_reason": "Hinge snapped at Lola Remedios house",
    "stop_note": "Gate code 4471, ask for Tito Bong",
    "payment_ref": "Deposit slip Maharlika 5521",
    "refund_reason": "Goodwill for Dindo Palabrica",
    "refund_ref": "Palabrica BPI transfer",
}


@pytest.fixture
def history(db, api_for, csr, finance, make_order, catalog, branch, settings, tmp_path):  # noqa: F811
    """A customer with everything Caredesk can hold about them; their one order is closed."""
    from caredesk.customers.models import Customer
    from caredesk.orders.models import Order
    from caredesk.orders.services.payments import payment_record

    settings.MEDIA_ROOT = tmp_path / "media"
    api = api_for(csr)
    created = api.post(
        "/api/v1/customers",
        json={
            "group": FREE_TEXT["group"],
            "first_name": PERSONAL["first_name"],
            "last_name": PERSONAL["last_name"],
            "email": PERSONAL["email"],
            "phone": PERSONAL["phone"],
            "address": {"line1": PERSONAL["line1"], "city": "Makati", "branch": branch.code},
            "cards": [
                {
                    "brand": "visa",
                    "last4": "4242",
                    "exp_month": 12,
                    "exp_year": 2030,
                    "holder_last_name": PERSONAL["last_name"],
                }
            ],
        },
    )
    assert created.status_code == 201, created.content
    member_id = created.json()["member_id"]
    customer = Customer.objects.get(member_id=member_id)  # noqa: F811
    assert (
        api.post(
            f"/api/v1/customers/{member_id}/contacts",
            json={"kind": "email", "value": PERSONAL["other_email"], "label": "work"},
            headers={"If-Match": str(customer.version)},
        ).status_code
        == 201
    )
    assert (
        api.post(
            f"/api/v1/customers/{member_id}/notes",
            json={
                "subject": "Phone call",
                "body": PERSONAL["note"],
                "activity_code": "email",
                "result_code": "satisfied",
            },
        ).status_code
        == 201
    )
    emailed = api.post(
        f"/api/v1/customers/{member_id}/emails",
        json={
            "template_code": "free_text",
            "subject": "Your blade",
            "body": PERSONAL["email_body"],
        },
    )
    assert emailed.status_code in (200, 201), emailed.content
    order = make_order(cust=customer, lines=[{"sku": "OIL-1L", "quantity": 2}])
    payment_record(
        actor=finance, order=order.number, method="card", amount="100.00", card_last4="4242"
    )
    Order.objects.filter(pk=order.pk).update(status="completed")
    customer.refresh_from_db()
    return customer


@pytest.fixture
def full_history(history, csr, finance, manager, installer, make_order, branch):  # noqa: F811
    """`history`, plus what the other apps hold about the customer: an order delivered by a
    run (the stop's notes and the recipient's name) and paid by bank transfer (reference),
    a return with its reason and a refund, the customer's complaint about it with a reply and
    an internal note, an invoice emailed, and a guest sign-in code sent to their phone."""
    import datetime

    from django.utils import timezone

    from caredesk.billing.models import Invoice, Refund
    from caredesk.billing.services.invoices import invoice_email
    from caredesk.billing.services.returns import return_create
    from caredesk.delivery.services import run_create, stop_add, stop_event_record
    from caredesk.inbox.services import complaint_file
    from caredesk.inbox.services.tickets import ticket_reply
    from caredesk.orders.models import Order
    from caredesk.orders.services.payments import payment_record
    from caredesk.portal.services import login_code_send

    name = f"{PERSONAL['first_name']} {PERSONAL['last_name']}"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    order = make_order(cust=history, lines=[{"sku": "BLADE-10", "quantity": 1}])
    payment_record(
        actor=finance,
        order=order.number,
        method="bank_transfer",
        amount="50.00",
        reference=FREE_TEXT["payment_ref"],
    )
    Order.objects.filter(pk=order.pk).update(
        status="ready", scheduled_delivery_on=tomorrow, requested_delivery_on=tomorrow
    )
    run = run_create(
        actor=manager, date=tomorrow, branch=branch, vehicle="TRK-07", crew=[installer]
    )
    stop = stop_add(actor=csr, run=run, order=order.number, notes=FREE_TEXT["stop_note"])
    stop_event_record(
        actor=installer, stop=stop, type="delivered", recipient=name, idempotency_key="drop-1"
    )
    order.refresh_from_db()
    ret = return_create(
        actor=csr,
        order=order,
        lines=[{"line": order.lines.get().pk, "quantity": 1}],
        reason=FREE_TEXT["return_reason"],
    )
    Refund.objects.create(
        order=order,
        for_return=ret,
        method="bank_transfer",
        amount="10.00",
        reference=FREE_TEXT["refund_ref"],
        reason=FREE_TEXT["refund_reason"],
        issued_by=finance,
        response={"reference": FREE_TEXT["refund_ref"], "reason": FREE_TEXT["refund_reason"]},
    )
    ticket = complaint_file(
        name=name,
        email=PERSONAL["email"],
        phone=PERSONAL["phone"],
        message=FREE_TEXT["complaint"],
        order_number=order.number,
        ip="203.0.113.71",
    )
    reply = f"Dear Ximena, {FREE_TEXT['reply']}"
    ticket_reply(actor=csr, ticket=ticket, body=reply, internal=False)
    ticket_reply(actor=csr, ticket=ticket, body=FREE_TEXT["internal_note"], internal=True)
    invoice_email(actor=csr, invoice=Invoice.objects.filter(customer=history).first())
    login_code_send(raw_phone=PERSONAL["phone"], ip="203.0.113.72")
    Order.objects.filter(pk=order.pk).update(status="completed")
    history.refresh_from_db()
    return history
