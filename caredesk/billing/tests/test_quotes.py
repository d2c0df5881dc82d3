from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from caredesk.billing import services
from caredesk.billing.models import Quote
from caredesk.lib.errors import Conflict, Invalid, NotAllowed
from caredesk.orders.models import CatalogItem

D = Decimal


@pytest.fixture
def make_quote(csr, customer, branch, catalog):
    def build(days=14, lines=(("BLADE-10", 2),)):
        return services.quote_create(
            actor=csr,
            customer=customer,
            branch=branch,
            lines=[{"sku": s, "quantity": q} for s, q in lines],
            valid_until=timezone.localdate() + timedelta(days=days),
        )

    return build


def _expire(quote):
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=1))


def test_quote_is_numbered_and_priced(make_quote):
    quote = make_quote()
    assert quote.number == "MNL-Q-000001" and quote.total == D("2650.00")
    assert make_quote().number == "MNL-Q-000002"


def test_convert_keeps_the_quoted_prices(make_quote, csr):
    quote = make_quote()
    CatalogItem.objects.filter(sku="BLADE-10").update(price=D("2000.00"))
    order = services.quote_convert(actor=csr, quote=quote.number)
    assert order.status == "draft" and order.total == D("2650.00")
    assert order.lines.get().unit_price == D("1250.00")
    with pytest.raises(Conflict) as exc:
        services.quote_convert(actor=csr, quote=quote.number)
    assert exc.value.code == "quote_converted"


def test_expired_quote_is_refused_unless_repriced(make_quote, csr):
    quote = make_quote()
    _expire(quote)
    CatalogItem.objects.filter(sku="BLADE-10").update(price=D("2000.00"))
    with pytest.raises(Conflict) as exc:
        services.quote_convert(actor=csr, quote=quote.number)
    assert exc.value.code == "quote_expired" and "expired on" in exc.value.detail
    order = services.quote_convert(actor=csr, quote=quote.number, reprice=True)
    assert order.lines.get().unit_price == D("2000.00")


def test_quote_input_is_checked(make_quote, finance, customer, branch):
    with pytest.raises(Invalid):
        make_quote(days=-1)
    with pytest.raises(Invalid):
        make_quote(days=400)
    with pytest.raises(Invalid) as exc:
        make_quote(lines=(("NOPE", 1),))
    assert exc.value.field == "lines.0.sku"
    with pytest.raises(NotAllowed):
        services.quote_create(
            actor=finance,
            customer=customer,
            branch=branch,
            lines=[{"sku": "BLADE-10", "quantity": 1}],
            valid_until=timezone.localdate(),
        )


def test_quote_api(api_for, csr, customer, branch, catalog):
    api = api_for(csr)
    until = (timezone.localdate() + timedelta(days=7)).isoformat()
    body = {
        "customer": customer.member_id,
        "branch": "MNL",
        "lines": [{"sku": "OIL-1L", "quantity": 2}],
        "valid_until": until,
    }
    made = api.post("/api/v1/quotes", json=body)
    assert made.status_code == 201
    assert {k: made.json()[k] for k in ("number", "status", "total")} == {
        "number": "MNL-Q-000001",
        "status": "open",
        "total": "849.00",
    }
    assert api.post("/api/v1/quotes", json={**body, "lines": []}).status_code == 422
    assert api.post("/api/v1/quotes", json={**body, "x": 1}).status_code == 422
    order = api.post("/api/v1/quotes/MNL-Q-000001/convert", json={})
    assert order.status_code == 201 and order.json()["status"] == "draft"
    again = api.post("/api/v1/quotes/MNL-Q-000001/convert", json={})
    assert again.status_code == 409 and again.json()["code"] == "quote_converted"
    shown = api.get("/api/v1/quotes/MNL-Q-000001").json()
    assert shown["status"] == "converted" and shown["order"] == order.json()["number"]


def test_expired_quote_api_409(api_for, csr, make_quote):
    quote = make_quote()
    _expire(quote)
    api = api_for(csr)
    refused = api.post(f"/api/v1/quotes/{quote.number}/convert", json={})
    assert refused.status_code == 409 and refused.json()["code"] == "quote_expired"
    assert api.get(f"/api/v1/quotes/{quote.number}").json()["actions"]["convert"] == {
        "allowed": False,
        "reason": refused.json()["detail"],
    }
    done = api.post(f"/api/v1/quotes/{quote.number}/convert", json={"reprice": True})
    assert done.status_code == 201


def test_quote_pages_pdf_email_and_snapshot(web_for, csr, customer, catalog, branch):
    customer.email = "maria@example.ph"
    customer.save()
    client = web_for(csr)
    assert client.get(f"/quotes/new/?customer={customer.member_id}").status_code == 200
    until = (timezone.localdate() + timedelta(days=7)).isoformat()
    data = {"customer": customer.member_id, "branch": "MNL", "valid_until": until}
    bad = client.post("/quotes/new/", {**data, "sku_1": "NOPE", "qty_1": 1})
    assert bad.status_code == 400 and "Unknown SKU NOPE" in bad.content.decode()
    made = client.post("/quotes/new/", {**data, "sku_1": "BLADE-10", "qty_1": 1})
    assert made.status_code == 302 and made["Location"] == "/quotes/MNL-Q-000001/"
    page = client.get("/quotes/MNL-Q-000001/").content.decode()
    assert "₱1,400.00" in page and "Convert to draft order" in page
    pdf = client.get("/quotes/MNL-Q-000001.pdf")
    assert pdf["Content-Type"] == "application/pdf" and b"PHP 1,400.00" in pdf.content
    assert client.post("/quotes/MNL-Q-000001/email/").status_code == 302
    from caredesk.comms.models import OutboundMessage
    from caredesk.comms.outbox import build_email

    message = OutboundMessage.objects.get(regarding="MNL-Q-000001")
    assert build_email(message).attachments[0][0] == "MNL-Q-000001.pdf"
    snapshot = client.get(f"/customers/{customer.member_id}/").content.decode()
    assert "MNL-Q-000001" in snapshot
    converted = client.post("/quotes/MNL-Q-000001/convert/")
    assert converted.status_code == 302 and converted["Location"].startswith("/orders/MNL-")
