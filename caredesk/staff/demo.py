"""Demo staff: one user per role, all with the demo password."""

from django.contrib.auth import get_user_model

from caredesk.staff.capabilities import ROLES
from caredesk.staff.services import staff_create

DEMO_PASSWORD = "caredesk-demo"  # noqa: S105 (published demo login)
DEMO_STAFF = [
    ("csr", "Maria", "Santos", ["csr"]),
    ("sales", "Paolo", "Reyes", ["sales"]),
    ("finance", "Grace", "Lim", ["finance"]),
    ("manager", "Ramon", "Cruz", ["manager"]),
    ("installer", "Jun", "Dela Rosa", ["installer"]),
    ("hr", "Liza", "Mendoza", ["hr"]),
    ("admin", "Ana", "Villanueva", ["admin"]),
    ("csr2", "Joy", "Bautista", ["csr"]),
]


def build(*, out, options) -> None:
    User = get_user_model()
    for username, first, last, roles in DEMO_STAFF:
        assert all(r in ROLES for r in roles)
        if not User.objects.filter(username=username).exists():
            staff_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                roles=roles,
                first_name=first,
                last_name=last,
                email=f"{username}@caredesk.localhost",
                validate=False,
            )
    out("staff: " + ", ".join(u for u, *_ in DEMO_STAFF) + f" (password: {DEMO_PASSWORD})")


def logins() -> list[tuple[str, str, str]]:
    return [(u, DEMO_PASSWORD, ", ".join(r)) for u, _, _, r in DEMO_STAFF]
