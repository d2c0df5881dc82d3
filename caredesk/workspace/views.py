from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from caredesk.audit.selectors import event_list
from caredesk.lib.faults import RETRY_AFTER_SECONDS
from caredesk.lib.modules import module_panels
from caredesk.lib.permissions import capability_required

# Signing in is not something the agent did to a customer or an order.
SIGN_IN_EVENTS = ("staff.login", "staff.login_failed", "staff.login_throttled")


@capability_required("view_dashboard")
def dashboard(request):
    """The agent's start page: the installed modules' panels and the agent's own recent
    actions from the event log."""
    recent = event_list(actor=request.user.get_username()).exclude(action__in=SIGN_IN_EVENTS)[:10]
    context = {"recent": recent, "module_panels": module_panels("dashboard", request)}
    return render(request, "workspace/dashboard.html", context)


@require_GET
@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise. No secrets, no auth (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        response = JsonResponse(
            {"status": "error", "database": str(exc.__class__.__name__)}, status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": connection.vendor})


def api_not_found(request, rest=""):
    return JsonResponse({"detail": "No such API endpoint.", "code": "not_found"}, status=404)
