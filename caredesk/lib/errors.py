"""The domain error family. Services raise these; the API and the HTML views map them in one
place each (caredesk.api exception handlers, caredesk.lib.forms.apply_domain_error)."""


class DomainError(Exception):
    """Base: a business rule refused the action. `code` is stable for API clients."""

    status = 400
    code = "invalid"

    def __init__(self, detail: str, *, code: str | None = None, field: str | None = None):
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.field = field


class Invalid(DomainError):
    """Bad input: 400 (422 when the API's schema validation fails)."""

    status = 400
    code = "invalid"


class Unauthenticated(DomainError):
    """Wrong or missing credentials: 401."""

    status = 401
    code = "unauthorized"


class NotAllowed(DomainError):
    """The actor lacks the permission: 403."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    """A business rule forbids the change in the current state: 409."""

    status = 409
    code = "conflict"


class StaleVersion(DomainError):
    """The record changed since the client read it: 412."""

    status = 412
    code = "stale_version"


class PreconditionRequired(DomainError):
    status = 428
    code = "precondition_required"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"

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
