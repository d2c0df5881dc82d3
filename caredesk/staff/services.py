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
from caredesk.staff.events import StaffEvent
from caredesk.staff.models import ApiToken, LoginFailure

User = get_user_model()
TOKEN_PREFIX = "cdk_"  # noqa: S105 (not a secret)


def staff_create(
    *,
    actor,
    username: str,
    password: str | None,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    validate: bool = True,
) -> "User":
    """Create a staff user holding `roles`. `actor` None means the command line (an operator).
    Without a password the account gets none that works, and a set-password link is emailed
    (the email address is then required)."""
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
    if password is None and not email:
        raise Invalid("Give an email address (the set-password link goes there).", field="email")
    if password is not None and validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise Invalid(" ".join(exc.messages), field="password") from exc
    with transaction.atomic():
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.is_staff = True
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        event_record(
            actor=actor,
            action=StaffEvent.CREATED,
            target=user,
            after={"username": username, "roles": sorted(roles)},
        )
        if password is None:
            _password_link_send(actor=actor, user=user, welcome=True)
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
            action=StaffEvent.UPDATED,
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


def _growing_delay(failures: int, limit: int) -> int:
    """Seconds to wait after the last failure once `failures` reached `limit`: 30, 60, 120, ...
    up to the window."""
    if failures < limit:
        return 0
    return min(30 * 2 ** min(failures - limit, 20), settings.CAREDESK_LOGIN_WINDOW_SECONDS)


def _wait_left(rows, delay: int) -> int:
    last = rows.order_by("-at").values_list("at", flat=True).first()
    if last is None or delay <= 0:
        return 0
    return max(0, int((last + timedelta(seconds=delay) - timezone.now()).total_seconds()) + 1)


def login_throttle_check(*, username: str, ip: str | None) -> None:
    """Refuse (429 with Retry-After) a sign-in attempt that must wait:

    - the same username from the same client IP failed CAREDESK_LOGIN_MAX_FAILURES_PER_USER_IP
      times: growing delays (30 s, 60 s, ...) — a stranger elsewhere cannot cause this;
    - the client IP failed CAREDESK_LOGIN_MAX_FAILURES_PER_IP times over all usernames: the
      same growing delays;
    - the username failed CAREDESK_LOGIN_MAX_FAILURES_PER_USER times from anywhere: one try
      per CAREDESK_LOGIN_SLOWDOWN_SECONDS, so the right password still gets in.

    Refused attempts are not counted, so waiting always ends."""
    name = username.lower()[:150]
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    waits = []
    if ip:
        pair = recent.filter(username=name, ip=ip)
        limit = settings.CAREDESK_LOGIN_MAX_FAILURES_PER_USER_IP
        waits.append(_wait_left(pair, _growing_delay(pair[: limit + 25].count(), limit)))
        from_ip = recent.filter(ip=ip)
        limit = settings.CAREDESK_LOGIN_MAX_FAILURES_PER_IP
        waits.append(_wait_left(from_ip, _growing_delay(from_ip[: limit + 25].count(), limit)))
    for_user = recent.filter(username=name)
    limit = settings.CAREDESK_LOGIN_MAX_FAILURES_PER_USER
    if for_user[:limit].count() >= limit:
        waits.append(_wait_left(for_user, settings.CAREDESK_LOGIN_SLOWDOWN_SECONDS))
    wait = max(waits, default=0)
    if wait > 0:
        raise RateLimited(
            f"Too many failed sign-ins. Wait {wait} seconds and try again.", retry_after=wait
        )


def _login_failure_record(*, username: str, ip: str | None) -> None:
    """Count the failure, audit it, and audit once when it starts a throttling episode (the
    failure that reaches a limit), not every refused attempt after it."""
    name = username.lower()[:150]
    LoginFailure.objects.create(username=name, ip=ip)
    event_record(
        actor=None, action=StaffEvent.LOGIN_FAILED, target=("auth.user", "", username[:150])
    )
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    reached = []
    if ip and recent.filter(username=name, ip=ip).count() == (
        settings.CAREDESK_LOGIN_MAX_FAILURES_PER_USER_IP
    ):
        reached.append("user_ip")
    if ip and recent.filter(ip=ip).count() == settings.CAREDESK_LOGIN_MAX_FAILURES_PER_IP:
        reached.append("ip")
    if recent.filter(username=name).count() == settings.CAREDESK_LOGIN_MAX_FAILURES_PER_USER:
        reached.append("user")
    if reached:
        event_record(
            actor=None,
            action=StaffEvent.LOGIN_THROTTLED,
            target=("auth.user", "", username[:150]),
            data={"limits": reached, "ip": ip},
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
            _login_failure_record(username=username, ip=ip)
        raise Unauthenticated("Wrong username or password.", code="bad_credentials")
    return user


def login_succeeded(*, user, via: str) -> None:
    with transaction.atomic():
        event_record(actor=user, action=StaffEvent.LOGIN, target=user, data={"via": via})


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
            action=StaffEvent.TOKEN_ISSUED,
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


# --- Password links and token revocation (administration) ----------------------------------


def password_link(user) -> str:
    """A single-use link to set the password: Django's token dies once the password changes
    or the user signs in, and after PASSWORD_RESET_TIMEOUT."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "staff:password_reset",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.CAREDESK_PUBLIC_URL.rstrip("/") + path


def _password_link_send(*, actor, user, welcome: bool) -> None:
    from caredesk.comms.services import email_send_staff

    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    greeting = "Welcome to Caredesk." if welcome else "A new password was requested for you."
    email_send_staff(
        to=user.email,
        subject="Set your Caredesk password",
        text_body=(
            f"Hello {user.get_full_name() or user.username},\n\n{greeting}\n"
            f"Your username is {user.username}. Set your password here (valid {hours} hours, "
            f"once):\n\n{password_link(user)}\n"
        ),
    )
    event_record(
        actor=actor,
        action=StaffEvent.PASSWORD_RESET_SENT,
        target=user,
        data={"to": user.email, "welcome": welcome},
    )


def staff_password_reset_send(*, actor, user) -> None:
    """Email the staff member a link to set a new password. The administrator never sees the
    link or the password; the current password keeps working until the link is used."""
    from caredesk.lib.policy import enforce
    from caredesk.staff.policy import may_send_password_reset

    enforce(may_send_password_reset(actor, user))
    with transaction.atomic():
        _password_link_send(actor=actor, user=user, welcome=False)


def staff_password_set(*, user, password: str) -> None:
    """Set the password from a valid link; every API token of the account is revoked."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="new_password1") from exc
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        event_record(actor=user, action=StaffEvent.PASSWORD_SET, target=user)


def active_token_count(user) -> int:
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()


def staff_tokens_revoke(*, actor, user) -> int:
    """Revoke every API token of `user` now; returns how many were in use."""
    from caredesk.lib.policy import enforce
    from caredesk.staff.policy import may_revoke_tokens

    enforce(may_revoke_tokens(actor, user, active_tokens=active_token_count(user)))
    with transaction.atomic():
        count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        event_record(
            actor=actor, action=StaffEvent.TOKENS_REVOKED, target=user, data={"count": count}
        )
    return count
