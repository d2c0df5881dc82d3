"""Staff accounts, sign-in and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caredesk.audit.services import event_record, field_changes
from caredesk.lib import context
from caredesk.lib.errors import Invalid, NotAllowed, RateLimited, Unauthenticated
from caredesk.staff.capabilities import ROLES
from caredesk.staff.models import ApiToken, LoginFailure

User = get_user_model()
TOKEN_PREFIX = "cdk_"  # noqa: S105 (not a secret)


def staff_create(
    *,
    actor,
    username: str,
    password: str,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    validate: bool = True,
) -> "User":
    """Create a staff user holding `roles`. `actor` None means the command line (an operator)."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise Invalid(f"Unknown role(s): {', '.join(unknown)}. Roles: {', '.join(ROLES)}.")
    if not roles:
        raise Invalid("Give at least one role.")
    if actor is not None and not actor.has_perm("staff.manage_staff"):
        raise NotAllowed("You may not manage staff.")
    username = username.strip()
    if not username:
        raise Invalid("Username is required.", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid(f"A staff user named {username!r} exists already.", field="username")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise Invalid(" ".join(exc.messages), field="password") from exc
    with transaction.atomic():
        user.set_password(password)
        user.is_staff = True
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        event_record(
            actor=actor,
            action="staff.created",
            target=user,
            after={"username": username, "roles": sorted(roles)},
        )
    return user


def staff_update(*, actor, user, roles: list[str], is_active: bool) -> "User":
    """Change a staff user's roles and whether they may sign in. An admin cannot lock
    themselves out (remove their own admin role or deactivate themselves)."""
    if not actor.has_perm("staff.manage_staff"):
        raise NotAllowed("You may not manage staff.")
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise Invalid("Choose at least one known role.", field="roles")
    if (
        user.pk == actor.pk
        and (not is_active or "admin" not in roles)
        and "admin" in user_roles(user)
    ):
        raise Invalid("You cannot remove your own administrator access.", field="roles")
    before = {"roles": user_roles(user), "is_active": user.is_active}
    after = {"roles": sorted(roles), "is_active": is_active}
    if before == after:
        return user
    with transaction.atomic():
        user.is_active = is_active
        user.save(update_fields=["is_active"])
        user.groups.set(Group.objects.filter(name__in=roles))
        if not is_active:
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        changed_before, changed_after = field_changes(before, after)
        event_record(
            actor=actor,
            action="staff.updated",
            target=user,
            before=changed_before,
            after=changed_after,
        )
    return user


def user_roles(user) -> list[str]:
    return sorted(g.name for g in user.groups.all())


# --- Sign-in -----------------------------------------------------------------------------------


def _window_start():
    return timezone.now() - timedelta(seconds=settings.CAREDESK_LOGIN_WINDOW_SECONDS)


def login_throttle_check(*, username: str, ip: str | None) -> None:
    """Refuse (429) once an IP or a username has too many recent failures."""
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    per_user = settings.CAREDESK_LOGIN_MAX_FAILURES_PER_USER
    per_ip = settings.CAREDESK_LOGIN_MAX_FAILURES_PER_IP
    if recent.filter(username=username.lower())[:per_user].count() >= per_user or (
        ip and recent.filter(ip=ip)[:per_ip].count() >= per_ip
    ):
        with transaction.atomic():
            event_record(
                actor=None,
                action="staff.login_throttled",
                target=("auth.user", "", username[:150]),
            )
        raise RateLimited(
            "Too many failed sign-ins. Wait a few minutes and try again.",
            retry_after=settings.CAREDESK_LOGIN_WINDOW_SECONDS,
        )


def staff_authenticate(*, request, username: str, password: str):
    """Check credentials with throttling; every failure is counted and audited.

    Returns the user or raises Invalid (wrong credentials) / RateLimited.
    """
    ip = context.current().ip
    login_throttle_check(username=username, ip=ip)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        with transaction.atomic():
            LoginFailure.objects.create(username=username.lower()[:150], ip=ip)
            event_record(
                actor=None,
                action="staff.login_failed",
                target=("auth.user", "", username[:150]),
            )
        raise Unauthenticated("Wrong username or password.", code="bad_credentials")
    return user


def login_succeeded(*, user, via: str) -> None:
    with transaction.atomic():
        event_record(actor=user, action="staff.login", target=user, data={"via": via})


# --- API tokens --------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(*, user, label: str = "") -> str:
    """Issue a new API token for `user` and return it; only its digest is kept."""
    if not user.has_perm("staff.use_api"):
        raise NotAllowed("This account may not use the API.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user,
            digest=_digest(token),
            prefix=token[:10],
            label=label,
            expires_at=timezone.now() + timedelta(days=settings.CAREDESK_API_TOKEN_DAYS),
        )
        event_record(
            actor=user,
            action="staff.token_issued",
            target=user,
            data={"prefix": record.prefix, "label": label},
        )
    return token


def token_authenticate(token: str):
    """The active user a bearer token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    record = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
