"""What the inbox views share: the sign-in and inbox gate, and the per-ticket check."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from caredesk.inbox import policy
from caredesk.inbox.models import Ticket


def inbox_required(view):
    """Signed in and working at least one inbox; the ticket itself is checked by the view."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policy.may_work_inbox(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def visible_ticket(request, reference: str) -> Ticket:
    ticket = (
        Ticket.objects.select_related(
            "customer", "order", "branch", "assignee", "position", "merged_into"
        )
        .filter(reference=reference.upper())
        .first()
    )
    if ticket is None:
        raise Http404
    if not policy.may_view(request.user, ticket):
        raise PermissionDenied
    return ticket
