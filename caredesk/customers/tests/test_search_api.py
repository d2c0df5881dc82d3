"""GET /api/v1/customers: the instant `q` and the advanced criteria as query parameters."""

import pytest

from caredesk.customers.search import backends as search_backends

from .search_fixtures import population

pytestmark = pytest.mark.django_db

API = "/api/v1/customers"


@pytest.fixture
def people():
    return population()


@pytest.fixture
def client(api_for, csr):
    return api_for(csr)


def ids(response) -> list[str]:
    return [r["member_id"] for r in response.json()["results"]]


def test_q_returns_ranked_results_with_the_documented_fields(client, people):
    response = client.get(API, data={"q": "0917 123 4567"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["capped"] is False
    hit = body["results"][0]
    assert hit["member_id"] == people["juan"].member_id
    assert hit["phone"] == "+639171234567" and hit["phone_local"] == "0917 123 4567"
    assert hit["city"] == "Manila" and hit["status"] == "open"
    assert set(hit) >= {
        "member_id",
        "first_name",
        "last_name",
        "nickname",
        "company",
        "email",
        "phone",
        "account_type",
        "status",
        "city",
        "last_activity_at",
    }


def test_advanced_criteria_as_query_parameters(client, people):
    response = client.get(API, data={"last_name": "Anders%", "exclude_closed": "true"})
    assert sorted(r["last_name"] for r in response.json()["results"]) == ["Andersen", "Anderson"]
    response = client.get(
        API, data={"company": "Golden%", "account_type": ["business", "reseller"]}
    )
    assert ids(response) == [people["shop"].member_id]
    response = client.get(API, data={"card_last4": "4242", "card_last_name": "Dela Cruz"})
    assert ids(response) == [people["juan"].member_id]
    response = client.get(API, data={"address": "%street%", "first_name": "maria"})
    assert ids(response) == [people["maria"].member_id]
    response = client.get(API, data={"member_id": people["maria"].member_id})
    related = {r["member_id"]: r["related"] for r in response.json()["results"]}
    assert related == {people["maria"].member_id: False, people["juan"].member_id: True}


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"last_name": "%son"}, "leading_wildcard", "last_name"),
        ({"email": "%@mail.ph"}, "leading_wildcard", "email"),
        ({"company": "Golden Hardware"}, "company_needs_account_type", "company"),
        ({"card_last_name": "Dela Cruz"}, "card_last4_required", "card_last4"),
        ({"card_last4": "4242424242424242"}, "card_number_refused", "card_last4"),
        ({"card_last4": "42a2"}, "card_last4_invalid", "card_last4"),
        ({"phone": "call me"}, "phone_invalid", "phone"),
        ({"account_type": "alien"}, "account_type_invalid", "account_types"),
        ({"address": "%a%"}, "term_too_short", "address"),
        ({}, "no_criteria", None),
        ({"q": "juan", "last_name": "Cruz"}, "q_and_criteria", None),
        ({"q": "juan", "limit": "0"}, "invalid_limit", "limit"),
    ],
)
def test_bad_input_gets_400_with_detail_and_code(client, people, params, code, field):
    response = client.get(API, data=params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    assert body.get("field") == field
    assert "4242424242424242" not in response.content.decode()


def test_malformed_parameter_gets_422(client, people):
    response = client.get(API, data={"q": "juan", "page": "first"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_paging_and_capped_count(client, people, monkeypatch):
    first = client.get(API, data={"last_name": "Anders%", "limit": 2})
    assert first.json()["count"] == 3 and first.json()["next_page"] == 2
    second = client.get(API, data={"last_name": "Anders%", "limit": 2, "page": 2})
    assert len(second.json()["results"]) == 1 and second.json()["next_page"] is None
    assert not set(ids(first)) & set(ids(second))
    monkeypatch.setattr(search_backends, "CAP", 2)
    capped = client.get(API, data={"last_name": "Anders%"}).json()
    assert capped["count"] == 2 and capped["capped"] is True


def test_needs_the_search_capability(api_for, installer, people):
    assert api_for(installer).get(API, data={"q": "juan"}).status_code == 403
    assert api_for(None).get(API, data={"q": "juan"}).status_code == 401


def test_query_count_of_the_api(client, people, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(API, data={"q": "dela"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(API, data={"member_id": people["juan"].member_id}).status_code == 200
