"""Authorization matrix: every URL of the project x every role (and anonymous).

The URLs come from the URL configuration and the OpenAPI schema, so a new page or endpoint that
is missing from ACCESS below fails this suite: add it with the capability its view checks.
The expected answer for each role is derived from the role table (capabilities.py).
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from caredesk.api import api
from caredesk.staff.capabilities import ROLES

PUBLIC = "<public>"

# HTML (and other non-API) URL names -> capability required, or PUBLIC.
HTML_ACCESS: dict[str, str] = {
    "healthz": PUBLIC,
    "api-not-found": PUBLIC,
    "staff:login": PUBLIC,
    "staff:logout": PUBLIC,
    "staff:list": "manage_staff",
    "audit:log": "view_audit_log",
    "workspace:dashboard": "view_dashboard",
    "customers:search": "search_customers",
    "customers:instant": "search_customers",
    "customers:snapshot": "view_customer",
    "api-1.0.0:openapi-json": PUBLIC,
    "api-1.0.0:openapi-view": PUBLIC,
    "api-1.0.0:api-root": PUBLIC,
}

# API operations (OpenAPI operationId) -> capability required, or PUBLIC.
API_ACCESS: dict[str, str] = {
    "caredesk_staff_api_auth_token": PUBLIC,
    "caredesk_staff_api_me": "use_api",
    "caredesk_audit_api_events": "view_audit_log",
    "caredesk_customers_search_api_customers_list": "search_customers",
}


# Values for URL parameters, by parameter name: callables taking no argument, run with the
# database available. Apps add theirs here when they add URLs with parameters.
def _sample_member_id() -> str:
    from caredesk.customers.ids import member_ids_allocate
    from caredesk.customers.models import Customer

    customer = Customer.objects.first() or Customer.objects.create(
        member_id=member_ids_allocate(1)[0], first_name="Sample", last_name="Member"
    )
    return customer.member_id


SAMPLE_KWARGS: dict[str, object] = {"member_id": _sample_member_id}


def _html_url_names() -> list[tuple[str, URLPattern]]:
    found = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                found.append((name, p))

    walk(get_resolver().url_patterns, "")
    # API operations are covered from the OpenAPI schema below; keep the API's own pages.
    api_pages = {"api-1.0.0:openapi-json", "api-1.0.0:openapi-view", "api-1.0.0:api-root"}
    return [(n, p) for n, p in found if not n.startswith("api-1.0.0:") or n in api_pages]


def _api_operations() -> list[tuple[str, str, str]]:
    schema = api.get_openapi_schema()
    return [
        (op["operationId"], method.upper(), path)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]


def _fill(path: str) -> str:
    def sub(match):
        name = match.group(1)
        if name not in SAMPLE_KWARGS:
            pytest.fail(f"Add a sample value for URL parameter {name!r} to SAMPLE_KWARGS")
        return str(SAMPLE_KWARGS[name]())

    return re.sub(r"\{(\w+)\}", sub, path)


def _html_url(name: str, pattern: URLPattern) -> str:
    params = list(pattern.pattern.regex.groupindex)
    kwargs = {}
    for param in params:
        if name == "api-not-found" and param == "rest":
            kwargs[param] = "nothing"
            continue
        if param not in SAMPLE_KWARGS:
            pytest.fail(f"Add a sample value for URL parameter {param!r} to SAMPLE_KWARGS")
        kwargs[param] = SAMPLE_KWARGS[param]()
    return reverse(name, kwargs=kwargs)


def test_every_url_is_in_the_matrix():
    missing = [n for n, _ in _html_url_names() if n not in HTML_ACCESS]
    assert not missing, f"URLs without an access rule in HTML_ACCESS: {missing}"
    missing_api = [op for op, _, _ in _api_operations() if op not in API_ACCESS]
    assert not missing_api, f"API operations without an access rule in API_ACCESS: {missing_api}"
    assert {c for c in [*HTML_ACCESS.values(), *API_ACCESS.values()] if c != PUBLIC} <= set(
        ROLES["admin"]
    )


ROLE_NAMES = [*ROLES, None]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES, ids=[r or "anonymous" for r in ROLE_NAMES])
def test_html_access(role, staff_factory):
    client = Client()
    if role:
        client.force_login(staff_factory(f"matrix-{role}", role))
    failures = []
    for name, pattern in _html_url_names():
        required = HTML_ACCESS[name]
        url = _html_url(name, pattern)
        response = client.get(url)
        status = response.status_code
        to_login = status == 302 and response["Location"].startswith("/login/")
        if required == PUBLIC:
            ok = status != 403 and not to_login
        elif role is None:
            ok = to_login
        elif required in ROLES[role]:
            ok = status not in (401, 403) and not to_login
        else:
            ok = status == 403
        if not ok:
            failures.append(
                f"{role or 'anonymous'} GET {url} ({name}, needs {required}) -> {status}"
            )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES, ids=[r or "anonymous" for r in ROLE_NAMES])
def test_api_access(role, staff_factory):
    from caredesk.staff.services import token_issue

    headers = {}
    if role:
        user = staff_factory(f"matrix-{role}", role)
        if "use_api" in ROLES[role]:
            headers = {"Authorization": f"Bearer {token_issue(user=user)}"}
        else:
            headers = {"Authorization": "Bearer cdk_not-a-valid-token"}
    client = Client()
    failures = []
    for op_id, method, path in _api_operations():
        required = API_ACCESS[op_id]
        url = _fill(path)
        kwargs = {"headers": headers}
        if method in ("POST", "PUT", "PATCH"):
            kwargs.update(data="{}", content_type="application/json")
        response = getattr(client, method.lower())(url, **kwargs)
        status = response.status_code
        if required == PUBLIC:
            ok = status not in (401, 403)
        elif role is None or "use_api" not in ROLES[role]:
            ok = status == 401
        elif required in ROLES[role]:
            ok = status not in (401, 403)
        else:
            ok = status == 403
        if not ok:
            failures.append(
                f"{role or 'anonymous'} {method} {url} ({op_id}, needs {required}) "
                f"-> {status} {response.content[:120]!r}"
            )
        if status == 500:
            failures.append(f"500 from {method} {url}")
    assert not failures, "\n".join(failures)
