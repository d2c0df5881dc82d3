"""API authentication: bearer tokens and the staff session, with the endpoint's capability."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from caredesk.lib.errors import NotAllowed
from caredesk.lib.permissions import has_capability
from caredesk.staff.services import token_authenticate


def _check(user, capability: str | None):
    if capability and not has_capability(user, capability):
        raise NotAllowed("Your role does not allow this.")
    return user


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; then, when given, the endpoint's capability (403)."""

    def __init__(self, capability: str | None = None):
        super().__init__()
        self.capability = capability

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is None or not has_capability(user, "use_api"):
            return None
        request.user = user
        return _check(user, self.capability)


class StaffSession(SessionAuth):
    """The signed-in browser session (CSRF-checked), for htmx and the docs page."""

    def __init__(self, capability: str | None = None):
        super().__init__(csrf=True)
        self.capability = capability

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if not user:
            return None
        return _check(user, self.capability)


def capable(capability: str) -> list:
    """Per-endpoint auth: a token or session, holding `capability`. Checked before the body is
    parsed, so a role without the capability gets 403 whatever it sends."""
    return [BearerToken(capability), StaffSession(capability)]
