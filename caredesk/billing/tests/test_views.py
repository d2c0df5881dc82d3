from caredesk.billing.tests.test_services import _amend_quantity
from caredesk.orders import services as order_services
from caredesk.orders.tests.samples import put_on_crew_run


def test_order_page_shows_invoices_and_the_refund_form_to_finance(
    make_order, manager, finance, web_for
):
    order = _amend_quantity(make_order(paid="2650.00"), manager, 1)
    page = web_for(finance).get(f"/orders/{order.number}/").content.decode()
    assert "MNL-INV-000001" in page and "MNL-CN-000001" in page
    assert 'id="refund-form"' in page and "₱1,250.00" in page


def test_refund_from_the_order_page(make_order, manager, finance, web_for):
    order = _amend_quantity(make_order(paid="2650.00"), manager, 1)
    client = web_for(finance)
    data = {
        "refund-version": order.version,
        "refund-amount": "1,250.00",
        "refund-method": "bank_transfer",
        "refund-reference": "BDO-77",
        "refund-reason": "amended down",
        "refund-idempotency_key": "form-1",
    }
    assert client.post(f"/orders/{order.number}/refund/", data).status_code == 302
    assert client.post(f"/orders/{order.number}/refund/", data).status_code == 302  # resubmit
    order.refresh_from_db()
    assert order.refunds.count() == 1 and order.refund_due == 0


def test_invoice_page_is_read_only_and_offers_email(make_order, csr, web_for, customer):
    customer.email = "maria@example.ph"
    customer.save()
    order = make_order(paid="10.00")
    client = web_for(csr)
    page = client.get("/invoices/MNL-INV-000001/").content.decode()
    assert "₱2,650.00" in page and "Email invoice" in page
    response = client.post("/invoices/MNL-INV-000001/email/", {"to": ""})
    assert response.status_code == 302
    from caredesk.comms.models import OutboundMessage
    from caredesk.comms.outbox import build_email

    message = OutboundMessage.objects.get(regarding="MNL-INV-000001")
    attachments = build_email(message).attachments
    assert attachments[0][0] == "MNL-INV-000001.pdf"
    confirmation = OutboundMessage.objects.get(template_code="order_confirmation")
    assert build_email(confirmation).attachments[0][0] == "MNL-INV-000001.pdf"
    assert order.number in page


def test_invoice_is_offered_in_regarding(make_order, customer):
    from caredesk.comms.regarding import regarding_choices

    make_order(paid="10.00")
    numbers = {(item.kind, item.number) for item in regarding_choices(customer)}
    assert ("invoice", "MNL-INV-000001") in numbers


def test_payment_manager_page_and_one_click_record(
    make_order, installer, finance, web_for, django_assert_max_num_queries
):
    orders = [make_order(paid="100.00", payer=finance) for _ in range(3)]
    for order in orders:
        put_on_crew_run(order, installer)
        order_services.payment_report(actor=installer, order=order, method="cash", amount="20.00")
    client = web_for(finance)
    with django_assert_max_num_queries(14):
        page = client.get("/payments/").content.decode()
    assert "Crew reports awaiting recording" in page and page.count(">Record</button>") == 3
    report = orders[0].payments.get(status="reported")
    assert client.post(f"/payments/{report.pk}/record/").status_code == 302
    report.refresh_from_db()
    assert report.status == "recorded"
    for _ in range(5):
        make_order(paid="1.00", payer=finance)
    with django_assert_max_num_queries(14):
        client.get("/payments/")


def test_snapshot_lists_invoices_and_refunds(make_order, csr, web_for, customer):
    make_order(paid="10.00")
    page = web_for(csr).get(f"/customers/{customer.member_id}/").content.decode()
    assert "MNL-INV-000001" in page
