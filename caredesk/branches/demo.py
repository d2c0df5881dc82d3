"""Demo branches (SPEC: MNL, CEB, DVO)."""

from caredesk.branches.models import Branch

DEMO_BRANCHES = [
    ("MNL", "Manila", "Manila"),
    ("CEB", "Cebu", "Cebu City"),
    ("DVO", "Davao", "Davao City"),
]


def build(*, out, options) -> None:
    for code, name, city in DEMO_BRANCHES:
        Branch.objects.update_or_create(code=code, defaults={"name": name, "city": city})
    out(f"branches: {', '.join(code for code, _, _ in DEMO_BRANCHES)}")
