"""Returns API: the contract (`POST /api/v1/returns` -> 201 number + requested, transitions
with If-Match or `version`), refusals as SPEC §11 errors, the list and one return."""

from decimal import Decimal

from caredesk.billing.models import Return

D = Decimal


def _body(order, quantity=1, index=0, **extra):
    line = list(order.lines.order_by("position"))[index]
    return {
        "order": order.number,
        "lines": [{"line": line.pk, "quantity": quantity}],
        "reason": "Bent on arrival",
        **extra,
    }


def test_start_a_return_answers_201_with_its_number_and_status(delivered_order, csr, api_for):
    order = delivered_order()
    response = api_for(csr).post("/api/v1/returns", json=_body(order))
    assert response.status_code == 201
    body = response.json()
    assert body["number"] == "MNL-RMA-000001" and body["status"] == "requested"
    assert response["ETag"] == '"1"' and body["version"] == 1
    assert body["lines"][0]["sku"] == "BLADE-10" and body["lines"][0]["received_quantity"] == 0
    assert body["credit_estimate"] == "1250.00" and body["credit"] is None
    assert body["actions"]["approve"] == {
        "allowed": False,
        "reason": "Returns are approved or rejected by the store manager.",
    }
    assert body["actions"]["cancel"]["allowed"] is True
    assert body["timeline"][0]["text"].startswith(
        "Return MNL-RMA-000001 requested: 1 × Blade"  # noqa: RUF001
    )


def test_bad_input_is_refused_and_writes_nothing(delivered_order, make_order, csr, api_for):
    order = delivered_order()
    api = api_for(csr)
    too_many = api.post("/api/v1/returns", json=_body(order, quantity=3))
    assert too_many.status_code == 400 and too_many.json()["code"] == "above_returnable"
    assert too_many.json()["field"] == "lines.0.quantity"
    unknown = api.post("/api/v1/returns", json={**_body(order), "refund": True})
    assert unknown.status_code == 422
    assert api.post("/api/v1/returns", json={**_body(order), "lines": []}).status_code == 422
    missing = api.post("/api/v1/returns", json={**_body(order), "order": "MNL-9999"})
    assert missing.status_code == 404
    draft = make_order(paid="10.00")
    refused = api.post("/api/v1/returns", json=_body(draft))
    assert refused.status_code == 409 and refused.json()["code"] == "not_delivered"
    assert not Return.objects.exists()


def test_roles_without_the_right_are_403(delivered_order, finance, api_for):
    response = api_for(finance).post("/api/v1/returns", json=_body(delivered_order()))
    assert response.status_code == 403


def test_a_return_walks_every_step_through_the_api(delivered_order, csr, manager, finance, api_for):
    order = delivered_order()
    number = api_for(csr).post("/api/v1/returns", json=_body(order, 2)).json()["number"]
    url = f"/api/v1/returns/{number}/transitions"
    mgr = api_for(manager)
    refused = api_for(csr).post(url, json={"to": "approved"})
    assert refused.status_code == 403
    wrong = mgr.post(url, json={"to": "received"})
    assert wrong.status_code == 409 and wrong.json()["code"] == "illegal_transition"
    assert "cannot become received" in wrong.json()["detail"]
    approved = mgr.post(url, json={"to": "approved"}, headers={"If-Match": '"1"'})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved["ETag"] == '"2"'
    stale = mgr.post(url, json={"to": "received", "version": 1})
    assert stale.status_code == 412 and stale.json()["code"] == "stale_version"
    received = mgr.post(url, json={"to": "received", "version": 2})
    assert received.status_code == 200
    body = received.json()
    assert body["credit"] == "2500.00" and body["refund_due"] == "2500.00"
    assert body["lines"][0]["received_quantity"] == 2
    assert body["actions"]["refund"]["allowed"] is False
    fin = api_for(finance)
    no_reference = fin.post(url, json={"to": "refunded", "method": "card"})
    assert no_reference.status_code == 400 and no_reference.json()["field"] == "reference"
    refunded = fin.post(url, json={"to": "refunded", "method": "cash", "reason": "goods back"})
    assert refunded.status_code == 200
    body = refunded.json()
    assert body["status"] == "refunded" and body["refund_due"] == "0.00"
    assert body["refunds"][0]["amount"] == "2500.00"
    texts = [step["text"] for step in body["timeline"]]
    assert texts[-1] == f"Return {number} refunded: ₱2,500.00"
    assert any("Refund of ₱2,500.00" in t for t in texts)
    done = fin.post(url, json={"to": "closed", "reason": "done"})
    assert done.status_code == 409
    order_body = api_for(csr).get(f"/api/v1/orders/{order.number}").json()
    assert order_body["total"] == "1198.50"


def test_unknown_status_and_unknown_return(delivered_order, csr, manager, api_for):
    number = api_for(csr).post("/api/v1/returns", json=_body(delivered_order())).json()["number"]
    api = api_for(manager)
    bad = api.post(f"/api/v1/returns/{number}/transitions", json={"to": "lost"})
    assert bad.status_code == 400 and bad.json()["field"] == "to"
    assert api.get("/api/v1/returns/MNL-RMA-999999").status_code == 404
    missing = api.post("/api/v1/returns/MNL-RMA-999999/transitions", json={"to": "approved"})
    assert missing.status_code == 404


def test_the_list_filters_by_status_and_branch(
    delivered_order, csr, manager, api_for, django_assert_max_num_queries
):
    order = delivered_order()
    api = api_for(csr)
    for index in (0, 0, 1):
        assert api.post("/api/v1/returns", json=_body(order, index=index)).status_code == 201
    first = Return.objects.order_by("pk").first()
    api_for(manager).post(f"/api/v1/returns/{first.number}/transitions", json={"to": "approved"})
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/returns?limit=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["results"][0]["order"] == order.number
    approved = api.get("/api/v1/returns?status=approved").json()
    assert [r["number"] for r in approved["results"]] == [first.number]
    assert api.get("/api/v1/returns?branch=CEB").json()["count"] == 0
    bad = api.get("/api/v1/returns?status=lost")
    assert bad.status_code == 400 and bad.json()["field"] == "status"
