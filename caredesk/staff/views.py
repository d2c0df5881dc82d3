from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caredesk.audit.selectors import event_list
from caredesk.lib.errors import DomainError, RateLimited
from caredesk.lib.forms import apply_domain_error, form_submit
from caredesk.lib.http import safe_next
from caredesk.lib.permissions import capability_required
from caredesk.staff.capabilities import ROLE_LABELS
from caredesk.staff.forms import LoginForm, StaffCreateForm, StaffEditForm
from caredesk.staff.policy import staff_actions
from caredesk.staff.selectors import staff_list as staff_rows
from caredesk.staff.services import (
    active_token_count,
    login_succeeded,
    staff_authenticate,
    staff_create,
    staff_password_reset_send,
    staff_password_set,
    staff_tokens_revoke,
    staff_update,
    user_roles,
)

User = get_user_model()


@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next")) or ""
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
    if request.method == "POST" and (
        user := form_submit(form, lambda data: staff_create(actor=request.user, **data))
    ):
        messages.success(request, f"Staff user {user.username} created.")
        return redirect("staff:list")
    users = staff_rows()
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    for user in page:
        user.role_labels = sorted(ROLE_LABELS.get(g.name, g.name) for g in user.groups.all())
    status = 400 if form.errors else 200
    return render(request, "staff/list.html", {"page": page, "form": form}, status=status)


@capability_required("manage_staff")
@require_http_methods(["GET", "POST"])
def staff_edit(request, username):
    member = get_object_or_404(User, username=username)
    initial = {"roles": user_roles(member), "is_active": member.is_active}
    action = request.POST.get("action", "save")
    bound = request.method == "POST" and action == "save"
    form = StaffEditForm(request.POST if bound else None, initial=initial)
    if request.method == "POST" and action == "branch":
        from caredesk.branches.models import Branch
        from caredesk.people.services import staff_branch_set

        branch = Branch.objects.filter(code=request.POST.get("branch", "")).first()
        try:
            staff_branch_set(actor=request.user, user=member, branch=branch)
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, f"{member.username} works at {branch or 'no branch'}.")
        return redirect("staff:edit", username=member.username)
    if request.method == "POST" and action in ("reset_password", "revoke_tokens"):
        try:
            if action == "reset_password":
                staff_password_reset_send(actor=request.user, user=member)
                messages.success(request, f"A set-password link was emailed to {member.email}.")
            else:
                count = staff_tokens_revoke(actor=request.user, user=member)
                messages.success(request, f"{count} API token(s) revoked.")
        except DomainError as exc:
            messages.error(request, exc.detail)
        return redirect("staff:edit", username=member.username)
    if request.method == "POST" and form_submit(
        form,
        lambda data: staff_update(
            actor=request.user, user=member, roles=data["roles"], is_active=data["is_active"]
        ),
    ):
        messages.success(request, f"Staff user {member.username} updated.")
        return redirect("staff:list")
    tokens = active_token_count(member)
    context = {
        "member": member,
        "form": form,
        "active_tokens": tokens,
        "actions": staff_actions(request.user, member, active_tokens=tokens),
        "branches": _branch_choices(),
        "branch_code": _branch_of(member),
        "history": event_list(target_type="auth.user", target_id=str(member.pk))[:20],
    }
    return render(request, "staff/edit.html", context, status=400 if form.errors else 200)


def _branch_choices() -> list:
    from caredesk.branches.models import Branch

    return list(Branch.objects.filter(active=True).order_by("code").values_list("code", "name"))


def _branch_of(member) -> str:
    from caredesk.people.models import StaffProfile

    profile = StaffProfile.objects.filter(user=member).select_related("branch").first()
    return profile.branch.code if profile and profile.branch else ""


@require_http_methods(["GET", "POST"])
def password_reset(request, uidb64, token):
    """The set-password page a staff member reaches from the emailed link (public)."""
    user = _user_from_link(uidb64, token)
    if user is None:
        return render(request, "staff/password_reset.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_password_set(user=user, password=form.cleaned_data["new_password1"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, "Your password is set. Sign in with it.")
            return redirect("staff:login")
    status = 400 if form.errors else 200
    return render(request, "staff/password_reset.html", {"form": form}, status=status)


def _user_from_link(uidb64: str, token: str):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_str
    from django.utils.http import urlsafe_base64_decode

    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@capability_required("manage_staff")
@require_GET
def settings_page(request):
    """The effective configuration, read-only, without secrets."""
    from caredesk.staff.configuration import effective_settings

    return render(request, "staff/settings.html", {"sections": effective_settings()})
