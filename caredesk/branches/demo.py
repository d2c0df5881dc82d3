"""Demo branches (SPEC: MNL, CEB, DVO) and their delivery/pickup zones."""

from caredesk.branches.models import Branch, Zone

DEMO_BRANCHES = [
    ("MNL", "Manila", "Manila"),
    ("CEB", "Cebu", "Cebu City"),
    ("DVO", "Davao", "Davao City"),
]
DEMO_ZONES = [
    ("MNL", "MNL-N", "Quezon City"),
    ("MNL", "MNL-C", "Manila and Makati"),
    ("MNL", "MNL-S", "Parañaque and Las Piñas"),
    ("CEB", "CEB-C", "Cebu City"),
    ("CEB", "CEB-M", "Mandaue and Lapu-Lapu"),
    ("DVO", "DVO-C", "Davao Poblacion"),
    ("DVO", "DVO-N", "Buhangin"),
]


def build(*, out, options) -> None:
    branches = {}
    for code, name, city in DEMO_BRANCHES:
        branches[code], _ = Branch.objects.update_or_create(
            code=code, defaults={"name": name, "city": city}
        )
    for branch_code, code, name in DEMO_ZONES:
        Zone.objects.update_or_create(
            code=code, defaults={"branch": branches[branch_code], "name": name}
        )
    out(f"branches: {', '.join(code for code, _, _ in DEMO_BRANCHES)}; zones: {len(DEMO_ZONES)}")
