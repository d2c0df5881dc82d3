from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from caredesk.lib.errors import DomainError, RateLimited
from caredesk.lib.forms import apply_domain_error
from caredesk.lib.permissions import capability_required
from caredesk.staff.forms import LoginForm, StaffCreateForm, StaffEditForm
from caredesk.staff.services import (
    login_succeeded,
    staff_authenticate,
    staff_create,
    staff_update,
    user_roles,
)

User = get_user_model()


@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or "workspace:dashboard")
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_authenticate(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except RateLimited as exc:
            form.add_error(None, exc.detail)
            status = 429
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = 400
        else:
            login(request, user)
            login_succeeded(user=user, via="web")
            return redirect(next_url or "workspace:dashboard")
    elif request.method == "POST":
        status = 400
    return render(request, "staff/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("staff:login")


@capability_required("manage_staff")
@require_http_methods(["GET", "POST"])
def staff_list(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, f"Staff user {user.username} created.")
            return redirect("staff:list")
    users = User.objects.order_by("username").prefetch_related("groups")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "staff/list.html", {"page": page, "form": form})


@capability_required("manage_staff")
@require_http_methods(["GET", "POST"])
def staff_edit(request, username):
    member = get_object_or_404(User, username=username)
    initial = {"roles": user_roles(member), "is_active": member.is_active}
    form = StaffEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            staff_update(
                actor=request.user,
                user=member,
                roles=form.cleaned_data["roles"],
                is_active=form.cleaned_data["is_active"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, f"Staff user {member.username} updated.")
            return redirect("staff:list")
    return render(request, "staff/edit.html", {"member": member, "form": form})
