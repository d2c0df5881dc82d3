"""Hostile input against every API operation (walked from the OpenAPI document) and every HTML
form (walked from the pages): control characters, huge numbers, wrong types and unknown fields
never give a 5xx, and every refusal of the API is in the SPEC §11 shape `{"detail", "code"}`."""

import json
import os
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caredesk.api import api
from caredesk.workspace.tests.test_access_matrix import (
    HTML_ACCESS,
    SAMPLE_KWARGS,
    _fill,
    _html_url,
    _html_url_names,
)

SCHEMA = api.get_openapi_schema()
OPERATIONS = [
    (method.upper(), path, op)
    for path, ops in SCHEMA["paths"].items()
    for method, op in ops.items()
]
HOSTILE = [
    "a\x00b",
    "\x1b[2J",
    "line\x0bbreak",
    "x\ud800",
    "x" * 100_001,
    10**20,
    -(10**20),
    1e308,
    "1e308",
    "NaN",
    True,
    None,
    [],
    {},
    [{"a": 1}],
    "3",
    "",
    "0",
    "-1",
]
PLAIN = {"string": "x", "integer": 1, "number": "1.00", "boolean": True, "array": [], "object": {}}


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        return _resolve(next((s for s in schema["anyOf"] if s.get("type") != "null"), {}))
    if "allOf" in schema:
        return _resolve(schema["allOf"][0])
    return schema


def _body_schema(op: dict) -> dict | None:
    body = op.get("requestBody", {}).get("content", {}).get("application/json")
    return _resolve(body["schema"]) if body else None


def _plain_body(schema: dict) -> dict:
    return {
        name: PLAIN.get(_resolve(prop).get("type"), "x")
        for name, prop in schema.get("properties", {}).items()
    }


def _check(response, what: str) -> None:
    assert response.status_code < 500, f"{what} -> {response.status_code} {response.content[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert isinstance(body.get("detail"), str) and isinstance(body.get("code"), str), what


@pytest.fixture
def admin_api(db, staff_factory):
    from caredesk.staff.services import token_issue

    user = staff_factory("fuzz-admin", "admin")
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_issue(user=user)}"
    return client


def _send(client, method, url, body=None, *, raw=None, content_type="application/json"):
    kwargs = {}
    if body is not None or raw is not None:
        kwargs = {
            "data": raw if raw is not None else json.dumps(body),
            "content_type": content_type,
        }
    return getattr(client, method.lower())(url, **kwargs)


@settings(
    max_examples=int(os.environ.get("CAREDESK_FUZZ_EXAMPLES", "5")) * 50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operation=st.sampled_from(OPERATIONS),
    hostile=st.sampled_from(HOSTILE),
    where=st.sampled_from(["body", "query", "path"]),
    pick=st.integers(min_value=0, max_value=50),
)
def test_api_never_answers_5xx_to_hostile_input(admin_api, operation, hostile, where, pick):
    method, path, op = operation
    url = _fill(path)
    schema = _body_schema(op)
    body = _plain_body(schema) if schema else None
    if where == "body" and schema and schema.get("properties"):
        names = sorted(schema["properties"])
        body[names[pick % len(names)]] = hostile
    elif where == "query":
        names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"] or ["q"]
        value = hostile if isinstance(hostile, str) else json.dumps(hostile)
        from urllib.parse import urlencode

        url += "?" + urlencode({names[pick % len(names)]: value}, errors="surrogatepass")
    elif where == "path" and "{" in path:
        params = re.findall(r"\{(\w+)\}", path)
        target = params[pick % len(params)]
        value = hostile if isinstance(hostile, str) else json.dumps(hostile)
        from urllib.parse import quote

        values = {
            p: quote(
                str(value if p == target else SAMPLE_KWARGS[p]()), safe="", errors="surrogatepass"
            )
            for p in params
        }
        url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
    _check(_send(admin_api, method, url, body), f"{method} {url} {where}={hostile!r:.60}")


@pytest.mark.django_db
def test_every_body_refuses_unknown_fields_naming_them(admin_api):
    for method, path, op in OPERATIONS:
        schema = _body_schema(op)
        if not schema:
            continue
        url = _fill(path)
        response = _send(admin_api, method, url, {**_plain_body(schema), "status": "closed!"})
        if "status" in schema.get("properties", {}):
            continue
        assert response.status_code == 422, f"{method} {url}: {response.content[:200]}"
        body = response.json()
        assert body["code"] == "validation_error"
        assert "status" in {e["field"] for e in body["errors"]}, body


@pytest.mark.django_db
def test_every_body_refuses_a_non_json_content_type(admin_api):
    for method, path, op in OPERATIONS:
        if not _body_schema(op):
            continue
        url = _fill(path)
        response = _send(admin_api, method, url, raw="a=1", content_type="text/plain")
        assert response.status_code == 415, f"{method} {url}"
        assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.django_db
def test_control_characters_are_refused_before_any_view(client, admin_api):
    """Unauthenticated, in a path, a query and a JSON body: 400 naming the field."""
    r = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "a\u0000b", "password": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json() == {
        "detail": "username: must not contain control characters.",
        "code": "control_character",
        "field": "username",
    }
    assert client.get("/track/MNL-0001%00?t=x").status_code == 400
    page = client.get("/login/?next=%00")
    assert page.status_code == 400 and b"Request not accepted" in page.content
    r = admin_api.get("/api/v1/orders?q=a%00b")
    assert r.status_code == 400 and r.json()["field"] == "q"
    r = admin_api.get("/api/v1/orders?limit=32589158477190044730")
    assert r.status_code == 422 and r.json()["field"] == "limit"


def test_every_operation_documents_its_error_answers():
    for method, path, op in OPERATIONS:
        codes = set(op["responses"])
        assert {"400", "422", "503"} <= codes, (method, path)
        if op.get("security"):
            assert {"401", "403"} <= codes, (method, path)
        for code in {c for c in codes if not c.startswith("2")}:
            schema = op["responses"][code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_schema_names_are_unique():
    """Two models with one name would be merged into one component (the wrong one documented)."""
    import typing

    from pydantic import BaseModel

    seen: dict[str, type] = {}
    clashes = []

    def visit(tp):
        for arg in typing.get_args(tp):
            visit(arg)
        if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
            return
        if tp.__module__.startswith("caredesk."):
            other = seen.setdefault(tp.__name__, tp)
            if other is not tp:
                clashes.append(f"{tp.__module__}.{tp.__name__} / {other.__module__}")
                return
        for field in tp.model_fields.values():
            visit(field.annotation)

    for router in [r for _, r in api._routers]:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in operation.models:
                    for field in model.model_fields.values():
                        visit(field.annotation)
                for response in (operation.response_models or {}).values():
                    visit(response)
    assert not clashes, clashes
    assert {"AuditEventOut", "OrderEventOut", "CustomerReasonIn", "ReasonIn"} <= set(seen)


# --- HTML forms -------------------------------------------------------------------------------


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._current = (a.get("action") or "", set())
            self.forms.append(self._current)
        elif tag in ("input", "select", "textarea") and self._current and a.get("name"):
            self._current[1].add(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


@pytest.mark.django_db
def test_every_form_refuses_control_characters_and_survives_huge_numbers(staff_factory):
    client = Client()
    client.force_login(staff_factory("fuzz-admin", "admin"))
    posted = 0
    for name, pattern in _html_url_names():
        if name.startswith("api-") or HTML_ACCESS.get(name) is None or name == "staff:logout":
            continue
        url = _html_url(name, pattern)
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(page.content.decode())
        for action, fields in parser.forms:
            target = action or url
            if not target.startswith("/") or target.startswith("/logout"):
                continue
            fields.discard("csrfmiddlewaretoken")
            if not fields:
                continue
            r = client.post(target, {f: "a\x00b" for f in fields})
            assert r.status_code == 400, f"{target} {fields}"
            for hostile in ("9" * 40, "-" + "9" * 40, "1e308", "x" * 100_001):
                r = client.post(target, {f: hostile for f in fields})
                assert r.status_code < 500, f"{target} {hostile[:20]} -> {r.status_code}"
            posted += 1
    assert posted >= 10
