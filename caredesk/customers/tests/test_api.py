"""Customer API (SPEC §11): create, snapshot, PATCH with If-Match/ETag, account actions,
blocklist; error format, 401/403, and nothing stored on bad input."""

import pytest

from caredesk.audit.models import Event
from caredesk.customers.models import BlockedValue, Customer

pytestmark = pytest.mark.django_db

BODY = {
    "account_type": "individual",
    "first_name": "Andres",
    "last_name": "Anderson",
    "nickname": "Andy",
    "company": "",
    "email": "andres@example.ph",
    "phone": "+63 917 123 4567",
    "group": "Anderson family",
    "locale": "fil",
    "address": {"line1": "3 Luna St", "city": "Manila", "branch": "MNL"},
    "cards": [
        {
            "brand": "mastercard",
            "last4": "5100",
            "exp_month": 11,
            "exp_year": 2027,
            "holder_last_name": "Anderson",
        }
    ],
}


def test_create_answers_201_with_member_id_and_etag(branches, csr, api_for):
    response = api_for(csr).post("/api/v1/customers", json=BODY)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member_id"] == "M0000001"
    assert body["phone"] == "+639171234567"
    assert body["phone_local"] == "0917 123 4567"
    assert body["addresses"][0]["branch"] == "MNL"
    assert body["cards"] == [
        {
            "id": body["cards"][0]["id"],
            "brand": "mastercard",
            "last4": "5100",
            "exp_month": 11,
            "exp_year": 2027,
            "holder_last_name": "Anderson",
        }
    ]
    assert response["ETag"] == "1"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"phone": "0917 12"}, 400, "phone"),
        ({"account_type": "business", "company": ""}, 400, "company"),
        (
            {
                "cards": [
                    {"brand": "visa", "last4": "4111111111111111", "exp_month": 1, "exp_year": 2030}
                ]
            },
            400,
            "cards.0.last4",
        ),
        (
            {
                "cards": [
                    {
                        "brand": "visa",
                        "last4": "4242",
                        "exp_month": 1,
                        "exp_year": 2030,
                        "pan": "4111111111111111",
                    }
                ]
            },
            400,
            "cards.0.pan",
        ),
        ({"email": "nope"}, 400, "email"),
        ({"address": {"line1": "x", "branch": "ZZZ"}}, 400, "address.branch"),
        ({"cards": "visa"}, 422, "cards"),
    ],
)
def test_bad_input_gets_the_error_format_and_nothing_is_stored(
    branches, csr, api_for, change, status, field
):
    response = api_for(csr).post("/api/v1/customers", json={**BODY, **change})
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"detail", "code"}
    assert body.get("field") == field or any(e["field"] == field for e in body.get("errors", []))
    assert "4111111111111111" not in response.content.decode()
    assert Customer.objects.count() == 0
    assert not Event.objects.filter(action="customer.created").exists()


def test_blocked_value_gets_409_blocked(branches, csr, api_for):
    client = api_for(csr)
    assert (
        client.post("/api/v1/blocklist", json={"kind": "phone", "value": "09171234567"}).status_code
        == 201
    )
    response = client.post("/api/v1/customers", json=BODY)
    assert response.status_code == 409
    assert response.json()["code"] == "blocked"
    assert Customer.objects.count() == 0
    assert Event.objects.filter(action="safety.blocked_attempt").count() == 1


def test_auth_is_checked_before_the_body(branches, installer, api_for):
    assert api_for(None).post("/api/v1/customers", json=BODY).status_code == 401
    response = api_for(installer).post("/api/v1/customers", json={"junk": 1})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_snapshot_json(make_customer, rich_customer, finance, api_for):
    response = api_for(finance).get(f"/api/v1/customers/{rich_customer.member_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["member_id"] == rich_customer.member_id
    assert len(body["related"]) == 3
    assert len(body["parts"]) == 4
    assert len(body["logins"]) == 6
    assert body["account_history"][0]["action"] == "customer.created"
    assert response["ETag"] == str(rich_customer.version)


def test_snapshot_unknown_member_is_404_json(branches, csr, api_for):
    response = api_for(csr).get("/api/v1/customers/M7777777")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_patch_with_if_match_and_stale_412(make_customer, csr, manager, api_for):
    customer = make_customer()
    url = f"/api/v1/customers/{customer.member_id}"
    ok = api_for(csr).patch(url, json={"nickname": "Ria"}, headers={"If-Match": "1"})
    assert ok.status_code == 200, ok.content
    assert ok["ETag"] == "2"
    assert ok.json()["audit_history"][0]["after"] == {"nickname": "Ria"}
    stale = api_for(manager).patch(url, json={"nickname": "Mimi"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    assert "changed by csr at" in stale.json()["detail"]
    customer.refresh_from_db()
    assert customer.nickname == "Ria"
    bad = api_for(csr).patch(url, json={"nickname": "X"}, headers={"If-Match": "abc"})
    assert bad.status_code == 400


def test_patch_without_if_match_applies(make_customer, csr, api_for):
    customer = make_customer()
    response = api_for(csr).patch(
        f"/api/v1/customers/{customer.member_id}", json={"phone": "0918 765 4321"}
    )
    assert response.status_code == 200
    assert response.json()["phone"] == "+639187654321"


def test_patch_invalid_phone_is_400_and_not_saved(make_customer, csr, api_for):
    customer = make_customer()
    response = api_for(csr).patch(f"/api/v1/customers/{customer.member_id}", json={"phone": "1"})
    assert response.status_code == 400 and response.json()["field"] == "phone"
    customer.refresh_from_db()
    assert customer.version == 1


def test_close_reopen_and_reason_required(make_customer, csr, api_for):
    customer = make_customer()
    client = api_for(csr)
    base = f"/api/v1/customers/{customer.member_id}"
    assert client.post(f"{base}/close", json={}).status_code == 422
    closed = client.post(f"{base}/close", json={"reason": "Duplicate account"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = client.post(f"{base}/close", json={"reason": "x"})
    assert again.status_code == 409
    reopened = client.post(f"{base}/reopen", json={"reason": "Customer asked"})
    assert reopened.json()["status"] == "open"


def test_password_reset_endpoint_queues_mail_and_never_returns_the_link(
    make_customer, csr, api_for
):
    from caredesk.comms.models import OutboundMessage

    customer = make_customer()
    response = api_for(csr).post(f"/api/v1/customers/{customer.member_id}/password-reset")
    assert response.status_code == 200
    assert "/account/reset/" not in response.content.decode()
    assert OutboundMessage.objects.filter(template_code="password_reset").count() == 1


def test_blocklist_list_filters_and_delete_with_reason(csr, finance, api_for):
    client = api_for(csr)
    ip = client.post(
        "/api/v1/blocklist", json={"kind": "ip", "value": "2001:db8::/32", "reason": "bots"}
    )
    assert ip.status_code == 201 and ip.json()["value"] == "2001:db8::/32"
    client.post("/api/v1/blocklist", json={"kind": "email", "value": "X@Y.PH"})
    listed = api_for(finance).get("/api/v1/blocklist?kind=email")
    assert listed.status_code == 200
    assert [r["value"] for r in listed.json()["results"]] == ["x@y.ph"]
    assert (
        api_for(finance)
        .post("/api/v1/blocklist", json={"kind": "email", "value": "a@b.ph"})
        .status_code
        == 403
    )
    entry_id = ip.json()["id"]
    assert client.delete(f"/api/v1/blocklist/{entry_id}").status_code == 400
    removed = client.delete(f"/api/v1/blocklist/{entry_id}?reason=false+positive")
    assert removed.status_code == 200 and removed.json()["active"] is False
    active = client.get("/api/v1/blocklist?active=true").json()
    assert [r["kind"] for r in active["results"]] == ["email"]
    body_delete = client.request(
        "DELETE", f"/api/v1/blocklist/{active['results'][0]['id']}", json={"reason": "ok now"}
    )
    assert body_delete.status_code == 200
    assert BlockedValue.objects.filter(removed_at__isnull=True).count() == 0


def test_blocklist_bad_value_is_400(csr, api_for):
    response = api_for(csr).post("/api/v1/blocklist", json={"kind": "ip", "value": "1.2.3.4/8"})
    assert response.status_code == 400
    assert response.json()["field"] == "value"
    response = api_for(csr).post("/api/v1/blocklist", json={"kind": "shoe", "value": "x"})
    assert response.status_code == 400


def test_blocklist_list_query_count_is_constant(csr, api_for, django_assert_max_num_queries):
    client = api_for(csr)
    for i in range(30):
        client.post("/api/v1/blocklist", json={"kind": "ip", "value": f"10.0.{i}.0/24"})
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/blocklist")
    assert response.json()["count"] == 30


def test_patch_null_means_no_change(make_customer, csr, api_for):
    customer = make_customer()
    response = api_for(csr).patch(
        f"/api/v1/customers/{customer.member_id}", json={"account_type": None, "nickname": "Ria"}
    )
    assert response.status_code == 200
    assert response.json()["account_type"] == "individual"
    assert response.json()["nickname"] == "Ria"
