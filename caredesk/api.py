"""The JSON API under /api/v1/ (SPEC §11): one NinjaAPI, app routers mounted here, and the one
place where domain errors become HTTP responses in the documented format
`{"detail": "...", "code": "..."}`."""

import logging

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from caredesk.api_auth import BearerToken, StaffSession
from caredesk.lib.errors import DomainError, RateLimited
from caredesk.lib.faults import fault_for
from caredesk.lib.schemas import Error, UnknownFields

logger = logging.getLogger(__name__)


# What each error status means, as documented on every operation that may answer it.
ERROR_ANSWERS = {
    400: "Bad input (a rule on a value, a control character, a malformed body)",
    401: "Not signed in, or wrong credentials",
    403: "The role does not allow this",
    404: "No such record",
    409: "A business rule forbids this now (illegal transition, blocked value, ...)",
    412: "The record changed since it was read (If-Match is stale)",
    415: "The body is not JSON",
    422: "The body or a parameter does not match the schema (unknown field, wrong type, "
    "out of bounds); `errors` lists every field at fault",
    428: "If-Match is required",
    429: "Too many requests; see Retry-After",
    503: "The database is briefly unavailable; see Retry-After",
}
_RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds"}}


def document_errors(schema: dict) -> dict:
    """Every operation documents the error answers it may give, all in the `Error` shape (SPEC
    §11), so the OpenAPI document tells the truth without repeating it on every endpoint."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = Error.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in error_schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components["Error"] = error_schema
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            codes = {400, 422, 429, 503}
            if operation.get("security"):
                codes |= {401, 403}
            if "{" in path:
                codes.add(404)
            if method != "get":
                codes |= {409, 412, 428}
            if "requestBody" in operation:
                codes.add(415)
            if path.endswith("/auth/token"):
                codes.add(401)
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for code in sorted(codes):
                answer = responses.setdefault(str(code), {"description": ERROR_ANSWERS[code]})
                answer["content"] = {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                }
                if code in (429, 503):
                    answer["headers"] = _RETRY_AFTER
    return schema


class CaredeskAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


api = CaredeskAPI(
    title="Caredesk API",
    version="1.0.0",
    description=(
        "Everything a CSR can do in the workspace. Authenticate with "
        "`POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`. "
        'Errors are `{"detail": "...", "code": "..."}`.'
    ),
    auth=[BearerToken(), StaffSession()],
    docs_url="/docs",
)


def error_response(request, status: int, detail: str, code: str, **extra):
    response = api.create_response(
        request, {"detail": detail, "code": code, **extra}, status=status
    )
    return response


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    extra = {"field": exc.field} if exc.field else {}
    response = error_response(request, exc.status, exc.detail, exc.code, **extra)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _field_name(loc) -> str | None:
    """("body", "payload", "lines", 0, "sku") -> "lines.0.sku"; ("query", "limit") -> "limit"."""
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"] and len(parts) > 2:
        parts = parts[2:]
    elif parts[:1] in (["body"], ["query"], ["path"], ["header"]):
        parts = parts[1:]
    return ".".join(parts) or None


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    errors = []
    for e in exc.errors:
        loc = list(e.get("loc", []))
        message = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        if message.startswith(f"{UnknownFields.message}: "):
            names = message.split(": ", 1)[1].split(", ")
            errors += [
                {"field": _field_name([*loc, name]), "message": UnknownFields.message}
                for name in names
            ]
            continue
        errors.append({"field": _field_name(loc), "message": message})
    first = errors[0] if errors else {"field": None, "message": "invalid input"}
    where = f"{first['field']}: " if first["field"] else ""
    return error_response(
        request,
        422,
        f"{where}{first['message']}",
        "validation_error",
        field=first["field"],
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return error_response(
        request, 401, "Authentication required: send a valid Bearer token.", "unauthorized"
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, 404, "Not found.", "not_found")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    codes = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        429: "rate_limited",
    }
    return error_response(request, exc.status_code, str(exc), codes.get(exc.status_code, "error"))


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    fault = fault_for(exc)
    if fault is not None:
        logger.warning("API request refused: %s (%s)", fault.code, exc.__class__.__name__)
        response = error_response(request, fault.status, fault.detail, fault.code)
        if fault.retry_after:
            response["Retry-After"] = str(fault.retry_after)
        return response
    logger.exception("Unhandled API error", exc_info=exc)
    return error_response(request, 500, "Internal error; it has been logged.", "server_error")


def _mount_routers() -> None:
    """Mount the `router` of every installed domain app's `api.py` (paths are absolute)."""
    import importlib

    from django.apps import apps

    from caredesk.urls_registry import DOMAIN_APPS

    for label in DOMAIN_APPS:
        if not apps.is_installed(f"caredesk.{label}"):
            continue
        try:
            module = importlib.import_module(f"caredesk.{label}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"caredesk.{label}.api":
                raise
            continue
        api.add_router("/", module.router)


_mount_routers()
