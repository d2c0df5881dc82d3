from django.contrib.auth import get_user_model, user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status

from caredesk.lib.endpoints import ApiRouter
from caredesk.lib.errors import Invalid
from caredesk.lib.policy import actions_out
from caredesk.lib.schemas import Code, ShortText, StrictIn
from caredesk.staff.services import (
    login_succeeded,
    staff_authenticate,
    staff_create,
    staff_password_reset_send,
    staff_update,
    token_issue,
    user_roles,
)

router = ApiRouter(tags=["auth"])


class TokenIn(StrictIn):
    username: ShortText
    password: str = Field(..., max_length=1024)


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    capabilities: list[str]


@router.post(
    "/auth/token", auth=None, response=TokenOut, summary="Exchange credentials for a token"
)
def auth_token(request, payload: TokenIn):
    """Sign in with a staff username and password; returns a bearer token. Failures are
    throttled per IP and per username (429) and audited."""
    user = staff_authenticate(request=request, username=payload.username, password=payload.password)
    token = token_issue(user=user, label="api")
    login_succeeded(user=user, via="api")
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return {"token": token}


@router.get("/me", MeOut, "use_api", "The signed-in staff user")
def me(request):
    user = request.user
    return {
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "roles": user_roles(user),
        "capabilities": sorted(
            p.split(".", 1)[1] for p in user.get_all_permissions() if p.startswith("staff.")
        ),
    }


# --- Administration: staff accounts ---------------------------------------------------------


class StaffOut(Schema):
    username: str
    name: str
    email: str
    roles: list[str]
    active: bool
    actions: dict

    @staticmethod
    def resolve_name(obj):
        return obj.get_full_name()

    @staticmethod
    def resolve_roles(obj):
        return sorted(g.name for g in obj.groups.all())

    @staticmethod
    def resolve_active(obj):
        return obj.is_active

    @staticmethod
    def resolve_actions(obj, context):
        from caredesk.staff.policy import staff_actions

        actor = context["request"].user
        tokens = getattr(obj, "active_tokens", 0)
        return actions_out(staff_actions(actor, obj, active_tokens=tokens))


class StaffIn(StrictIn):
    username: Code
    name: ShortText = ""
    email: str = Field("", max_length=254)
    roles: list[Code] = Field(..., min_length=1, max_length=7)


class StaffPatch(StrictIn):
    roles: list[Code] | None = Field(None, min_length=1, max_length=7)
    active: bool | None = None


def _staff_rows():
    from caredesk.staff.selectors import staff_list as staff_rows

    return staff_rows()


def _member(username: str):
    """The staff account named in the path (404 when none)."""
    return get_object_or_404(get_user_model(), username=username)


def _staff_row(user):
    """The account as the staff list shows it, after a change."""
    return _staff_rows().get(pk=user.pk)


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().partition(" ")
    return first[:150], last.strip()[:150]


@router.page("/staff", StaffOut, "manage_staff", "Staff accounts", tags=["administration"])
def staff_list(request, active: bool | None = None):
    rows = _staff_rows()
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows


@router.create(
    "/staff",
    StaffOut,
    "manage_staff",
    "Add a staff account; a set-password link is emailed",
    errors=(400, 409),
    tags=["administration"],
)
def staff_add(request, payload: StaffIn):
    from django.core.validators import validate_email

    if payload.email:
        try:
            validate_email(payload.email)
        except DjangoValidationError:
            raise Invalid("Enter a valid email address.", field="email") from None
    first, last = _split_name(payload.name)
    fields = payload.model_dump(exclude={"name"})
    user = staff_create(
        actor=request.user, password=None, first_name=first, last_name=last, **fields
    )
    return Status(201, _staff_row(user))


@router.patch(
    "/staff/{username}",
    StaffOut,
    "manage_staff",
    "Change a staff account's roles or deactivate it",
    errors=(400, 404),
    tags=["administration"],
)
def staff_patch(request, username: str, payload: StaffPatch):
    user = _member(username)
    roles = payload.roles if payload.roles is not None else user_roles(user)
    active = payload.active if payload.active is not None else user.is_active
    staff_update(actor=request.user, user=user, roles=roles, is_active=active)
    return _staff_row(user)


class RevokedOut(Schema):
    revoked: int


@router.post(
    "/staff/{username}/password-link",
    StaffOut,
    "manage_staff",
    "Email the staff member a link to set a new password (the caller never sees it)",
    status=202,
    errors=(404, 409),
    tags=["administration"],
)
def staff_password_link(request, username: str):
    user = _member(username)
    staff_password_reset_send(actor=request.user, user=user)
    return Status(202, _staff_row(user))


@router.post(
    "/staff/{username}/tokens/revoke",
    RevokedOut,
    "manage_staff",
    "Revoke every API token of the staff member now",
    errors=(404, 409),
    tags=["administration"],
)
def staff_tokens_revoke(request, username: str):
    from caredesk.staff import services

    user = _member(username)
    return {"revoked": services.staff_tokens_revoke(actor=request.user, user=user)}
