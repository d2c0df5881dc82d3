"""One way to check capabilities, for views (decorator) and services/endpoints (function)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from caredesk.lib.errors import NotAllowed


def has_capability(user, capability: str) -> bool:
    """`user.has_perm("staff.<capability>")`, answered from the user's permission set, which
    the backends read once per request: a page asks this dozens of times, and each `has_perm`
    goes through every configured backend again."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    # Kept beside the backend's own per-request cache (`_perm_cache`) and dropped with it, so
    # code that clears that cache after changing a user's permissions is obeyed here too.
    source = user.__dict__.get("_perm_cache")
    held = user.__dict__.get("_capabilities")
    if source is None or held is None or held[0] is not source:
        permissions = frozenset(user.get_all_permissions())
        held = user._capabilities = (user.__dict__.get("_perm_cache"), permissions)
    return f"staff.{capability}" in held[1]


def require(user, capability: str, message: str | None = None) -> None:
    """Raise NotAllowed unless `user` holds `capability`."""
    if not has_capability(user, capability):
        raise NotAllowed(message or "You do not have permission to do this.")


def capability_required(capability: str):
    """View decorator: anonymous -> sign-in page; signed in without the capability -> 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.capability = capability
        return wrapper

    return decorator
