"""Error pages: JSON in the SPEC §11 format under /api/, HTML elsewhere."""

import sys

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from caredesk.lib.faults import Fault, fault_for


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def forbidden(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Forbidden.", "code": "forbidden"}, status=403)
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """500, unless the failure is the database being away (503 + Retry-After, a calm page that
    needs no database) or a value out of range (400): see caredesk.lib.faults."""
    fault = fault_for(sys.exc_info()[1])
    if fault is not None:
        return fault_response(request, fault)
    if _is_api(request):
        return JsonResponse(
            {"detail": "Internal error; it has been logged.", "code": "server_error"}, status=500
        )
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    if _is_api(request):
        return JsonResponse(
            {"detail": f"CSRF check failed: {reason}", "code": "csrf_failed"}, status=403
        )
    return render(
        request,
        "errors/403.html",
        {"reason": "Your form expired. Reload the page and try again."},
        status=403,
    )


def fault_response(request, fault: Fault):
    """The answer for a classified fault; the HTML page is rendered without the request (no
    session, no user, no database)."""
    if _is_api(request):
        response = JsonResponse({"detail": fault.detail, "code": fault.code}, status=fault.status)
    else:
        template = "errors/503.html" if fault.status == 503 else "errors/400.html"
        html = render_to_string(template, {"detail": fault.detail})
        response = HttpResponse(html, status=fault.status)
    if fault.retry_after:
        response["Retry-After"] = str(fault.retry_after)
    return response
