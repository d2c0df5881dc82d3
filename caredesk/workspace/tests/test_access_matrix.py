"""Authorization matrix: every URL of the project x every role (and anonymous).

The URLs come from the URL configuration and the OpenAPI schema, so a new page or endpoint that
is missing from ACCESS below fails this suite: add it with the capability its view checks.
The expected answer for each role is derived from the role table (capabilities.py).

Each domain app keeps the rules of its own URLs beside its tests: `caredesk/<app>/tests/access.py`
may define `HTML_ACCESS`, `API_ACCESS` and `SAMPLE_KWARGS`, merged into the tables below.
"""

import importlib
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from caredesk.api import api
from caredesk.staff.capabilities import ROLES

PUBLIC = "<public>"
# Endpoints for other systems that hold a shared secret (not a staff token): every staff role
# and anonymous callers get 401.
SECRET = "<shared secret>"

# HTML (and other non-API) URL names -> capability required, or PUBLIC.
HTML_ACCESS: dict[str, str] = {
    "healthz": PUBLIC,
    "api-not-found": PUBLIC,
    "staff:login": PUBLIC,
    "staff:logout": PUBLIC,
    "staff:list": "manage_staff",
    "staff:edit": "manage_staff",
    "audit:log": "view_audit_log",
    "workspace:dashboard": "view_dashboard",
    "comms:outbox": "view_outbox",
    "comms:outbox_message": "view_outbox",
    "comms:templates": "manage_email_templates",
    "comms:template_edit": "manage_email_templates",
    "comms:compose": "send_email",
    "comms:compose_preview": "send_email",
    "comms:history": "view_customer",
    "comms:note_add": "add_activity_note",
    "comms:codes": "manage_activity_codes",
    "comms:code_edit": "manage_activity_codes",
    "customers:search": "search_customers",
    "customers:instant": "search_customers",
    "customers:snapshot": "view_customer",
    "api-1.0.0:openapi-json": PUBLIC,
    "api-1.0.0:openapi-view": PUBLIC,
    "api-1.0.0:api-root": PUBLIC,
    "customers:new": "create_customer",
    "customers:edit": "edit_customer",
    "customers:close": "close_customer",
    "customers:reopen": "close_customer",
    "customers:password_reset_send": "edit_customer",
    "customers:fraud_stop": "fraud_stop",
    "customers:view_as": "view_as_customer",
    "customers:card_add": "edit_customer",
    "customers:card_remove": "edit_customer",
    "customers:part_add": "edit_customer",
    "customers:part_edit": "edit_customer",
    "customers:member_block": "edit_customer",
    "customers:member_unblock": "edit_customer",
    "customers:blocklist": "view_blocklist",
    "customers:blocklist_add": "manage_blocklist",
    "customers:blocklist_remove": "manage_blocklist",
    "customers:password_reset": PUBLIC,
    "customers:contact_add": "edit_customer",
    "customers:contact_edit": "edit_customer",
    "customers:contact_remove": "edit_customer",
    "customers:contact_make_primary": "edit_customer",
    "customers:address_add": "edit_customer",
    "customers:address_edit": "edit_customer",
    "customers:address_remove": "edit_customer",
    "customers:address_make_default": "edit_customer",
    "orders:list": "view_orders",
    "orders:pending": "view_orders",
    "orders:new": "create_order",
    "orders:catalog": "manage_catalog",
    "orders:windows": "view_orders",
    "orders:window_change": "manage_pickup_windows",
    "orders:detail": "view_orders",
    "orders:track": PUBLIC,
    "orders:amend": "amend_order",
    "orders:pay": "record_payment",
    "orders:reverse": "reverse_payment",
    "orders:move": "view_orders",
    "orders:hold": "suspend_order",
    "orders:alert_clear": "clear_alerts",
    "orders:take_over": "take_over_lock",
    "orders:email": "send_email",
    "orders:activity": "view_orders",
    "orders:call": "create_order",
    "orders:record_report": "record_payment",
    "orders:flag": "amend_order",
}

# API operations (OpenAPI operationId) -> capability required, or PUBLIC.
API_ACCESS: dict[str, str] = {
    "caredesk_staff_api_auth_token": PUBLIC,
    "caredesk_staff_api_me": "use_api",
    "caredesk_audit_api_events": "view_audit_log",
    "caredesk_customers_api_customer_create": "create_customer",
    "caredesk_customers_api_customer_detail": "view_customer",
    "caredesk_customers_api_customer_patch": "edit_customer",
    "caredesk_customers_api_customer_close": "close_customer",
    "caredesk_customers_api_customer_reopen": "close_customer",
    "caredesk_customers_api_customer_password_reset": "edit_customer",
    "caredesk_customers_api_customer_fraud_stop": "fraud_stop",
    "caredesk_customers_api_blocklist": "view_blocklist",
    "caredesk_customers_api_contacts_card_add": "edit_customer",
    "caredesk_customers_api_contacts_card_remove": "edit_customer",
    "caredesk_customers_api_contacts_part_register": "edit_customer",
    "caredesk_customers_api_contacts_part_change": "edit_customer",
    "caredesk_customers_api_contacts_member_block": "edit_customer",
    "caredesk_customers_api_contacts_member_unblock": "edit_customer",
    "caredesk_customers_api_blocklist_add": "manage_blocklist",
    "caredesk_customers_api_blocklist_remove": "manage_blocklist",
    "caredesk_customers_api_contacts_contact_add": "edit_customer",
    "caredesk_customers_api_contacts_contact_change": "edit_customer",
    "caredesk_customers_api_contacts_contact_remove": "edit_customer",
    "caredesk_customers_api_contacts_contact_make_primary": "edit_customer",
    "caredesk_customers_api_contacts_address_add": "edit_customer",
    "caredesk_customers_api_contacts_address_change": "edit_customer",
    "caredesk_customers_api_contacts_address_remove": "edit_customer",
    "caredesk_customers_api_contacts_address_make_default": "edit_customer",
    "caredesk_comms_api_email_create": "send_email",
    "caredesk_comms_api_activity": "view_customer",
    "caredesk_comms_api_note_create": "add_activity_note",
    "caredesk_comms_api_outbox": "view_outbox",
    "caredesk_orders_api_catalog": "view_orders",
    "caredesk_orders_api_catalog_add": "manage_catalog",
    "caredesk_orders_api_orders": "view_orders",
    "caredesk_orders_api_order_create": "create_order",
    "caredesk_orders_api_order_get": "view_orders",
    "caredesk_orders_api_order_amend": "amend_order",
    "caredesk_orders_api_order_amend_preview": "amend_order",
    "caredesk_orders_api_order_transition": "view_orders",
    "caredesk_orders_api_payment_record": "record_payment",
    "caredesk_orders_api_payment_report": "record_delivery_event",
    "caredesk_orders_api_payment_confirm_report": "record_payment",
    "caredesk_orders_api_payment_reverse": "reverse_payment",
    "caredesk_orders_api_order_suspend": "suspend_order",
    "caredesk_orders_api_order_resume": "suspend_order",
    "caredesk_orders_api_alert_clear": "clear_alerts",
    "caredesk_orders_api_tracking_link": "view_orders",
    "caredesk_orders_api_order_email": "send_email",
    "caredesk_orders_api_order_flag": "amend_order",
    "caredesk_orders_api_order_call": "create_order",
    "caredesk_orders_api_lock_take_over": "take_over_lock",
    "caredesk_orders_api_pending_orders": "view_orders",
    "caredesk_orders_api_pickup_windows": "view_orders",
    "caredesk_orders_api_pickup_window_create": "manage_pickup_windows",
    "caredesk_orders_api_pickup_window_patch": "manage_pickup_windows",
    "caredesk_orders_api_pickup_window_delete": "manage_pickup_windows",
    "caredesk_customers_search_api_customers_list": "search_customers",
}


# Values for URL parameters, by parameter name: callables taking no argument, run with the
# database available. Apps add theirs here when they add URLs with parameters.
def _sample_member_id() -> str:
    from caredesk.customers.models import Customer

    customer, _ = Customer.objects.get_or_create(
        member_id="M0999999",
        defaults={"first_name": "Sample", "last_name": "Member", "email": "sample@example.ph"},
    )
    return customer.member_id


def _sample_contact_id() -> int:
    from caredesk.customers.models import ContactPoint, Customer

    customer = Customer.objects.get(member_id=_sample_member_id())
    contact, _ = ContactPoint.objects.get_or_create(
        customer=customer, kind="phone", value="+639189990000", defaults={"label": "work"}
    )
    return contact.pk


def _sample_address_id() -> int:
    from caredesk.customers.models import Address, Customer

    customer = Customer.objects.get(member_id=_sample_member_id())
    address, _ = Address.objects.get_or_create(
        customer=customer, line1="1 Sample St", defaults={"city": "Manila", "is_default": True}
    )
    return address.pk


def _sample_blocklist_entry() -> int:
    from caredesk.customers.models import BlockedValue

    entry, _ = BlockedValue.objects.get_or_create(kind="email", value="sample@blocked.example")
    return entry.pk


def _sample_message_id() -> int:
    from caredesk.comms.models import OutboundMessage

    message, _ = OutboundMessage.objects.get_or_create(
        message_id="<matrix@caredesk.localhost>",
        defaults={"to": ["matrix@example.com"], "subject": "Matrix", "text_body": "Hello"},
    )
    return message.pk


def _sample_code_id() -> int:
    from caredesk.comms.models import ActivityCode

    return ActivityCode.objects.order_by("pk").first().pk


def _sample_order_number() -> str:
    from caredesk.orders.tests.samples import sample_order_number

    return sample_order_number()


SAMPLE_KWARGS: dict[str, object] = {
    "member_id": _sample_member_id,
    "entry_id": _sample_blocklist_entry,
    "contact_id": _sample_contact_id,
    "address_id": _sample_address_id,
    "token": lambda: "not-a-valid-token",
    "username": lambda: "csr",
    "message_id": _sample_message_id,
    "code": lambda: "free_text",
    "locale": lambda: "fil",
    "code_id": _sample_code_id,
    "number": lambda: _sample_order_number(),
    "payment_id": lambda: 1,
    "alert_id": lambda: 1,
    "window_id": lambda: 1,
    "card_id": lambda: 1,
    "part_id": lambda: 1,
    "blocked_id": lambda: "M0999998",
}


def _merge_app_tables() -> None:
    """Add each domain app's `tests/access.py` tables (a name defined twice is an error)."""
    from caredesk.urls_registry import DOMAIN_APPS

    for label in [*DOMAIN_APPS, "branches"]:
        name = f"caredesk.{label}.tests.access"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name not in (name, f"caredesk.{label}.tests", f"caredesk.{label}"):
                raise
            continue
        for table, extra in (
            (HTML_ACCESS, getattr(module, "HTML_ACCESS", {})),
            (API_ACCESS, getattr(module, "API_ACCESS", {})),
            (SAMPLE_KWARGS, getattr(module, "SAMPLE_KWARGS", {})),
        ):
            clash = set(table) & set(extra)
            assert not clash, f"{name} redefines {sorted(clash)}"
            table.update(extra)


_merge_app_tables()


def _html_url_names() -> list[tuple[str, URLPattern]]:
    """(name, pattern) of every named page; a pattern included under a prefix with parameters
    (customers/<member_id>/...) carries the prefix's parameter names in `prefix_params`."""
    found = []

    def walk(patterns, namespace, inherited):
        for p in patterns:
            own = list(p.pattern.regex.groupindex)
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, ns, [*inherited, *own])
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                p.prefix_params = inherited
                found.append((name, p))

    walk(get_resolver().url_patterns, "", [])
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
    params = [*getattr(pattern, "prefix_params", []), *pattern.pattern.regex.groupindex]
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
    assert {
        c for c in [*HTML_ACCESS.values(), *API_ACCESS.values()] if c not in (PUBLIC, SECRET)
    } <= set(ROLES["admin"])


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


def _body_for(method: str, url: str) -> dict:
    from django.test import RequestFactory

    from caredesk.lib.middleware import api_media_types

    accepted = api_media_types(getattr(RequestFactory(), method.lower())(url))
    if "application/json" in accepted:
        return {"data": "{}", "content_type": "application/json"}
    if "multipart/form-data" in accepted:
        return {"data": {"x": "1"}}
    return {"data": "x", "content_type": sorted(accepted)[0]}


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
            # A body of a type the operation takes (JSON, or e.g. the inbound webhook's raw
            # message), so what answers is the access rule, not the 415 media-type guard.
            kwargs.update(_body_for(method, url))
        response = getattr(client, method.lower())(url, **kwargs)
        status = response.status_code
        if required == PUBLIC:
            ok = status not in (401, 403)
        elif required == SECRET or role is None or "use_api" not in ROLES[role]:
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
