"""Demo branches (SPEC: MNL, CEB, DVO) and their delivery/pickup zones."""

from caredesk.branches.models import Branch, Zone

DEMO_BRANCHES = [
    ("MNL", "Manila", "Manila"),
    ("CEB", "Cebu", "Cebu City"),
    ("DVO", "Davao", "Davao City"),
]
# What the branches' invoices print (legal name, address, TIN).
DEMO_TAX = {
    "MNL": (
        "Caredesk Garden Supply Inc. (Manila)",
        "1200 Ayala Ave, Makati City",
        "009-123-456-000",
    ),
    "CEB": ("Caredesk Garden Supply Inc. (Cebu)", "88 Osmeña Blvd, Cebu City", "009-123-456-001"),
    "DVO": (
        "Caredesk Garden Supply Inc. (Davao)",
        "21 J.P. Laurel Ave, Davao City",
        "009-123-456-002",
    ),
}
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
            code=code,
            defaults={
                "name": name,
                "city": city,
                **dict(zip(("tax_name", "address", "tax_id"), DEMO_TAX[code], strict=True)),
            },
        )
    for branch_code, code, name in DEMO_ZONES:
        Zone.objects.update_or_create(
            code=code, defaults={"branch": branches[branch_code], "name": name}
        )
    out(f"branches: {', '.join(code for code, _, _ in DEMO_BRANCHES)}; zones: {len(DEMO_ZONES)}")
