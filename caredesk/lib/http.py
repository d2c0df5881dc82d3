"""HTTP details shared by the API endpoints."""

from typing import TypeVar

from caredesk.lib.errors import Invalid, NotFound, PreconditionRequired

T = TypeVar("T")


def found(record: T | None, detail: str) -> T:
    """`record` as a lookup by reference returned it; 404 `not_found` with `detail` (in the one
    error format) when it found nothing."""
    if record is None:
        raise NotFound(detail)
    return record


def known(record: T | None, detail: str, *, field: str) -> T:
    """`record` a request body named (a customer, a branch, a staff member); 400 on `field`
    with `detail` when no such record exists."""
    if record is None:
        raise Invalid(detail, field=field)
    return record


def if_match_version(request, *, required: bool = False) -> int | None:
    """The record version the client read, from `If-Match` (the ETag of GET, `"7"`, `W/"7"`
    or `7`). Missing: None, or 428 when `required`. Not a number: 400."""
    raw = (request.headers.get("If-Match") or "").strip()
    if not raw:
        if required:
            raise PreconditionRequired(
                "Send If-Match with the version you read (the ETag of GET).",
                code="if_match_required",
            )
        return None
    value = raw.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise Invalid("If-Match must be the version number from the ETag.", field="If-Match")
    return int(value)


def versioned_response(request, body, version: int, *, status: int = 200, schema=None):
    """The API answer `body` of one record, its version in `ETag` (`"7"`) for the next
    `If-Match`. With `schema`, `body` (a dict) is shaped by that output schema first, as the
    endpoint's declared response would."""
    from caredesk.api import api

    if schema is not None:
        body = schema(**body).model_dump(mode="json")
    response = api.create_response(request, body, status=status)
    response["ETag"] = f'"{version}"'
    return response


def replayable_response(request, body, *, replayed: bool, status: int = 201):
    """The API answer `body` of an action taken under `Idempotency-Key`; a repeated key gets
    the first answer again, marked `Idempotent-Replayed: true`."""
    from caredesk.api import api

    response = api.create_response(request, body, status=status)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def idempotent_action(request, action, **arguments):
    """Run the service `action` for the request's user under its `If-Match` version (when sent)
    and `Idempotency-Key`, and answer with the stored `response` of the record it made (or made
    before, for a repeated key)."""
    record, replayed = action(
        actor=request.user,
        expected_version=if_match_version(request),
        idempotency_key=request.headers.get("Idempotency-Key"),
        **arguments,
    )
    return replayable_response(request, record.response, replayed=replayed)


def safe_next(request, value: str | None, *, prefix: str = "/") -> str | None:
    """A posted or queried `next` the view may redirect to: a path on this site (under
    `prefix`), never an outside address and never a bare word `redirect()` would take for a
    view name (`next=99999...` must not become a NoReverseMatch). None when it is not one."""
    from django.utils.http import url_has_allowed_host_and_scheme

    value = (value or "").strip()
    if not value.startswith(prefix) or value.startswith("//") or "\\" in value:
        return None
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return value


TOAST_EVENT = "caredesk:toast"
TOAST_TONES = ("success", "info", "warning", "error")


def toast(response, text: str, *, tone: str = "success"):
    """Confirm an htmx action with a short message the page shows as a toast
    (`static/caredesk/toast.js`, a polite live region), instead of reloading the page.

    Sets the `HX-Trigger` header (django-htmx `trigger_client_event`), so the view still
    returns only the fragment it swaps; several calls on one response merge. `tone` is one of
    `TOAST_TONES`. Full-page (non-htmx) answers keep using Django's messages framework.
    Returns the response."""
    from django_htmx.http import trigger_client_event

    if tone not in TOAST_TONES:
        raise ValueError(f"Unknown toast tone {tone!r}.")
    return trigger_client_event(response, TOAST_EVENT, {"text": str(text), "tone": tone})
