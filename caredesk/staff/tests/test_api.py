import re

import pytest

pytestmark = pytest.mark.django_db


def test_token_exchange_and_bearer_use(client, csr, api_for):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "csr", "password": "correct-horse-battery"},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["roles"] == ["csr"]
    assert "record_payment" not in me.json()["capabilities"]


def test_bad_credentials_get_documented_error(client, csr):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "csr", "password": "bad"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong username or password.", "code": "bad_credentials"}


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer cdk_forged", "Basic abc", ""])
def test_bad_token_gets_401_json(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_revoked_and_expired_tokens_are_refused(csr, api_for):
    from django.utils import timezone

    from caredesk.staff.models import ApiToken

    api = api_for(csr)
    assert api.get("/api/v1/me").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now())
    assert api.get("/api/v1/me").status_code == 401


def test_malformed_json_gets_400_json(client):
    response = client.post(
        "/api/v1/auth/token", data='{"username": "csr",', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_missing_field_gets_422_naming_the_field(client):
    response = client.post(
        "/api/v1/auth/token", {"username": "csr"}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == "password"
    assert "password" in body["detail"]


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v2/me", "/api/"])
def test_unknown_api_url_gets_404_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_wrong_method_gets_405_json(client):
    response = client.delete("/api/v1/auth/token")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_openapi_and_docs_served_locally(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/auth/token" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    external = re.findall(rb'(?:src|href)="(?:https?:)?//[^"]+"', docs.content)
    assert external == []
    assert b"/static/ninja/" in docs.content


def test_user_without_api_capability_is_refused(staff_factory, api_for):
    from caredesk.lib.errors import NotAllowed

    no_role = staff_factory("no-role")
    with pytest.raises(NotAllowed):
        api_for(no_role)
