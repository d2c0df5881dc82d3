"""The domain error family. Services raise these; the API and the HTML views map them in one
place each (caredesk.api exception handlers, caredesk.lib.forms.apply_domain_error)."""


class DomainError(Exception):
    """Base: a business rule refused the action. `code` is stable for API clients; a subclass
    names its HTTP status and default code in its header: `class Conflict(DomainError,
    status=409, code="conflict")`."""

    status = 400
    code = "invalid"

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None, **kw):
        super().__init_subclass__(**kw)
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code

    def __init__(self, detail: str, *, code: str | None = None, field: str | None = None):
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.field = field


class Invalid(DomainError, status=400, code="invalid"):
    """Bad input: 400 (422 when the API's schema validation fails)."""


class Unauthenticated(DomainError, status=401, code="unauthorized"):
    """Wrong or missing credentials."""


class NotAllowed(DomainError, status=403, code="forbidden"):
    """The actor lacks the permission."""


class NotFound(DomainError, status=404, code="not_found"):
    """No such record (or none the actor may see)."""


class Conflict(DomainError, status=409, code="conflict"):
    """A business rule forbids the change in the current state."""


class StaleVersion(DomainError, status=412, code="stale_version"):
    """The record changed since the client read it."""


class PreconditionRequired(DomainError, status=428, code="precondition_required"):
    """The request must name the version it read (`If-Match`)."""


class RateLimited(DomainError, status=429, code="rate_limited"):
    """Too many attempts; the client may try again after `retry_after` seconds."""

    def __init__(self, detail: str, *, retry_after: int = 60, **kwargs):
        super().__init__(detail, **kwargs)
        self.retry_after = retry_after


def stated(text: str | None, message: str, *, field: str) -> str:
    """`text` stripped; Invalid with `message` on `field` when nothing is left (a required
    reason or note)."""
    text = (text or "").strip()
    if not text:
        raise Invalid(message, field=field)
    return text
