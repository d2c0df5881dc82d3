import ipaddress
import json
import re
import uuid
from http import HTTPStatus

from caredesk.lib import context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _networks():
    from django.conf import settings

    networks = []
    for entry in settings.CAREDESK_TRUSTED_PROXIES:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return networks


def client_ip(request) -> str | None:
    """The client's address. REMOTE_ADDR, unless the request comes from a trusted proxy
    (CAREDESK_TRUSTED_PROXIES): then the right-most X-Forwarded-For address that is not itself
    a trusted proxy (what a client writes further left can be forged)."""
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks()
    if not remote or not networks or not _trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote
        if not _trusted(hop, networks):
            return hop
    return remote


class RequestContextMiddleware:
    """Gives each request an id (kept from a well-formed X-Request-ID) for the services."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = context.set_current(
            context.RequestContext(
                request_id=request_id,
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", "")[:300],
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class ApiErrorFormatMiddleware:
    """Under /api/, an error that did not come from the API's own handlers (405 from routing,
    a CSRF failure, ...) is rewritten into the documented `{"detail", "code"}` JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
            code = phrase.lower().replace(" ", "_").replace("-", "_") or "error"
            response.content = json.dumps({"detail": f"{phrase}.", "code": code}).encode()
            response["Content-Type"] = "application/json"
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


# --- Input guard -----------------------------------------------------------------------------

# In a path or a query string nothing below space is legitimate; in a form or JSON body tab,
# newline and carriage return are (a textarea), every other control character is not.
_CONTROL_ANY = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BODY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A lone UTF-16 surrogate (`"\ud800"` in JSON) cannot be stored or encoded.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_JSON_TYPES = ("application/json",)


class BadInput(Exception):
    """Client input no endpoint may take: answered 400 (or 415) before any view runs."""

    def __init__(self, detail: str, *, code: str = "control_character", field=None, status=400):
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.field = field
        self.status = status


def _check_text(value: str, field: str, pattern: re.Pattern) -> None:
    if pattern.search(value) or _SURROGATE.search(value):
        raise BadInput(f"{field}: must not contain control characters.", field=field or None)


def _check_json(value, field: str) -> None:
    """Every key and string anywhere in a JSON document."""
    if isinstance(value, str):
        _check_text(value, field, _CONTROL_BODY)
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            _check_text(str(key), name, _CONTROL_ANY)
            _check_json(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, f"{field}.{index}" if field else str(index))


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in _JSON_TYPES or media.endswith("+json")


def _empty_form(request, content_type: str) -> bool:
    """A form encoding that carries no field at all (what some clients send for a POST
    without a body) is no body."""
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return False
    try:
        return not request.POST and not request.FILES
    except Exception:  # a malformed multipart body
        return False


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_MEDIA_FOR_SOURCE = {
    "body": ("application/json",),
    "form": _FORM_TYPES,
    "file": ("multipart/form-data",),
}


def api_media_types(request) -> frozenset[str]:
    """The body media types the API operation at this path and method takes, read from the
    operation itself: JSON for a body schema (and for an operation that declares no body),
    a form for Form/File params, and whatever its OpenAPI `requestBody` declares explicitly
    (`openapi_extra`, e.g. `message/rfc822` for a raw message)."""
    import inspect

    from django.urls import Resolver404, resolve
    from ninja.operation import PathView

    default = frozenset({"application/json"})
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return default
    path_view = inspect.getclosurevars(match.func).nonlocals.get("self")
    if not isinstance(path_view, PathView):
        return default
    operation = path_view._find_operation(request)
    if operation is None:
        return default
    types: set[str] = set()
    for model in operation.models:
        types.update(_MEDIA_FOR_SOURCE.get(getattr(model, "__ninja_param_source__", ""), ()))
    extra = (operation.openapi_extra or {}).get("requestBody", {}).get("content", {})
    types.update(media.lower() for media in extra)
    return frozenset(types) or default


def input_check(request) -> None:
    """Refuse what no view may receive: control characters (NUL and friends) and lone
    surrogates in the path, the query string, a form or a JSON body, and a non-JSON body sent
    to the JSON API (415). Raises BadInput naming the field."""
    _check_text(request.path_info, "path", _CONTROL_ANY)
    for key, values in request.GET.lists():
        _check_text(key, key, _CONTROL_ANY)
        for value in values:
            _check_text(value, key, _CONTROL_ANY)
    if request.method not in _BODY_METHODS:
        return
    content_type = request.META.get("CONTENT_TYPE", "")
    is_api = request.path_info.startswith("/api/")
    if is_api:
        if not request.body:
            return
        media = content_type.split(";", 1)[0].strip().lower()
        accepted = api_media_types(request)
        if _is_json(content_type) and "application/json" in accepted:
            try:
                document = json.loads(request.body)
            except ValueError:
                raise BadInput("The body is not valid JSON.", code="invalid_json") from None
            _check_json(document, "")
            return
        if media not in accepted:
            if _empty_form(request, content_type):
                return
            raise BadInput(
                "Send the body as JSON (Content-Type: application/json)."
                if accepted == {"application/json"}
                else f"Send the body as one of: {', '.join(sorted(accepted))}.",
                code="unsupported_media_type",
                status=415,
            )
        if media not in _FORM_TYPES:
            return  # a raw body the operation declares (an RFC 822 message, ...): its own parser
    if content_type.startswith(_FORM_TYPES):
        for key, values in request.POST.lists():
            _check_text(key, key, _CONTROL_ANY)
            for value in values:
                _check_text(value, key, _CONTROL_BODY)


class InputGuardMiddleware:
    """The one place that refuses input no view can store (see `input_check`): 400 in the
    `{"detail", "code", "field"}` JSON under /api/, a calm HTML page elsewhere. Runs before the
    session and the database are touched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            input_check(request)
        except BadInput as exc:
            return bad_input_response(request, exc)
        return self.get_response(request)


def bad_input_response(request, exc: BadInput):
    from django.http import HttpResponse, JsonResponse
    from django.template.loader import render_to_string

    if request.path_info.startswith("/api/"):
        body = {"detail": exc.detail, "code": exc.code}
        if exc.field:
            body["field"] = exc.field
        return JsonResponse(body, status=exc.status)
    html = render_to_string("errors/400.html", {"detail": exc.detail})
    return HttpResponse(html, status=exc.status)


class NoStoreForStaffMiddleware:
    """Pages and answers for a signed-in user show customer data: no browser or proxy may keep
    a copy (`Cache-Control: no-store, private, ...`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
