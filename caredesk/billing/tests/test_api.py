from decimal import Decimal

from caredesk.billing.tests.test_services import _amend_quantity

D = Decimal


def test_order_invoices_and_one_invoice(make_order, manager, api_for, csr):
    order = _amend_quantity(make_order(paid="10.00"), manager, 1)
    api = api_for(csr)
    body = api.get(f"/api/v1/orders/{order.number}/invoices").json()
    assert body["count"] == 2
    assert [(r["number"], r["kind"], r["total"]) for r in body["results"]] == [
        ("MNL-INV-000001", "invoice", "2650.00"),
        ("MNL-CN-000001", "credit_note", "-1250.00"),
    ]
    one = api.get("/api/v1/invoices/MNL-CN-000001").json()
    assert one["corrects"] == "MNL-INV-000001" and one["title"] == "Credit note"
    assert one["actions"]["email"]["allowed"] is False  # no email on file
    assert api.get("/api/v1/invoices/MNL-INV-999999").status_code == 404


def test_invoice_pdf_opens_with_the_total(make_order, web_for, csr):
    order = make_order(paid="10.00")
    response = web_for(csr).get("/invoices/MNL-INV-000001.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"PHP 2,650.00" in response.content
    assert order.number.encode() in response.content


def test_refund_api_idempotent_and_refused_above_due(make_order, manager, finance, api_for):
    order = _amend_quantity(make_order(paid="2650.00"), manager, 1)
    api = api_for(finance)
    url = f"/api/v1/orders/{order.number}/refunds"
    too_much = {"amount": "1250.01", "method": "cash", "reason": "amended down"}
    response = api.post(url, json=too_much)
    assert response.status_code == 409 and response.json()["code"] == "above_refund_due"
    body = {"amount": "1250.00", "method": "cash", "reason": "amended down"}
    first = api.post(url, json=body, headers={"Idempotency-Key": "r-1"})
    assert first.status_code == 201
    assert first.json()["order"]["refund_due"] == "0.00"
    again = api.post(url, json=body, headers={"Idempotency-Key": "r-1"})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert api.post(url, json={**body, "extra": 1}).status_code == 422
    assert api.post(url, json={**body, "amount": "1.001"}).status_code == 422


def test_refund_api_is_finance_only(make_order, manager, api_for, csr):
    order = _amend_quantity(make_order(paid="2650.00"), manager, 1)
    body = {"amount": "1.00", "method": "cash", "reason": "x"}
    assert api_for(csr).post(f"/api/v1/orders/{order.number}/refunds", json=body).status_code == 403


def test_payments_list_filters_and_totals(make_order, manager, finance, installer, api_for, csr):
    from caredesk.billing import services
    from caredesk.orders import services as order_services
    from caredesk.orders.tests.samples import put_on_crew_run

    order = _amend_quantity(make_order(paid="2650.00", payer=finance), manager, 1)
    services.refund_issue(
        actor=finance, order=order, amount="250.00", method="cash", reason="amended"
    )
    other = make_order(paid="100.00", payer=finance)
    put_on_crew_run(other, installer)
    order_services.payment_report(actor=installer, order=other, method="cash", amount="50.00")
    api = api_for(finance)
    body = api.get("/api/v1/payments").json()
    assert body["count"] == 4
    assert body["totals"] == {"cash": "2500.00"}  # 2650 + 100 in, 250 out
    kinds = {(r["kind"], r["status"], r["amount"]) for r in body["results"]}
    assert ("refund", "recorded", "250.00") in kinds and ("payment", "reported", "50.00") in kinds
    reported = api.get("/api/v1/payments?status=reported").json()
    assert reported["count"] == 1 and reported["results"][0]["order_number"] == other.number
    assert api.get("/api/v1/payments?kind=refund").json()["count"] == 1
    assert api.get("/api/v1/payments?method=card").json()["count"] == 0
    assert api.get("/api/v1/payments?branch=CEB").json()["count"] == 0
    assert api.get(f"/api/v1/payments?agent={finance.username}").json()["count"] == 3
    bad = api.get("/api/v1/payments?from=2026-13-01")
    assert bad.status_code == 400 and bad.json()["field"] == "from"
    assert api.get("/api/v1/payments?status=lost").status_code == 400
    assert api_for(csr).get("/api/v1/payments").status_code == 403


def test_payments_csv_streams_the_filtered_rows(make_order, manager, finance, api_for):
    make_order(paid="100.00", payer=finance)
    response = api_for(finance).get("/api/v1/payments.csv?method=cash")
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("kind,at,order") and len(lines) == 2 and ",100.00," in lines[1]
