from django.contrib.auth import user_logged_in
from ninja import Field, Router, Schema

from caredesk.api_auth import capable
from caredesk.lib.schemas import ShortText, StrictIn
from caredesk.staff.services import login_succeeded, staff_authenticate, token_issue, user_roles

router = Router(tags=["auth"])


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


@router.get("/me", response=MeOut, auth=capable("use_api"), summary="The signed-in staff user")
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
