"""Error pages: JSON in the SPEC §11 format under /api/, HTML elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render


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
