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
    held = getattr(user, "_capabilities", None)
    if held is None:
        held = user._capabilities = frozenset(user.get_all_permissions())
    return f"staff.{capability}" in held


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
