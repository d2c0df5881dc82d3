"""Role x URL x method for the staff workspace and administration pages.

The project-wide matrix (`workspace/tests/test_access_matrix.py`) opens every page with GET
and calls every API operation with its own method. Here every page of the staff workspace,
branches and staff administration is also sent the other method, against real records: a
POST needs the capability of the action (a CSR may read referral links but not create or
change them), a method a page does not take is 405 only for whoever may open the page, and
nobody gets a 500."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from caredesk.people.tests.access import HTML_ACCESS, METHOD_ACCESS, PUBLIC
from caredesk.staff.capabilities import ROLES

pytestmark = pytest.mark.django_db

NAMESPACES = ("people", "branches", "staff")
NOT_ADMINISTRATION = {"staff:login", "staff:logout"}  # sign-in pages, in the main matrix


def _patterns() -> dict[str, list[str]]:
    """URL name -> its parameters, for the pages of NAMESPACES."""
    from django.urls import URLPattern, URLResolver

    found = {}

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace in NAMESPACES:
                found[f"{namespace}:{p.name}"] = list(p.pattern.regex.groupindex)

    walk(get_resolver().url_patterns, "")
    return {n: params for n, params in found.items() if n not in NOT_ADMINISTRATION}


def test_every_page_has_its_methods_in_the_table():
    assert set(_patterns()) == set(METHOD_ACCESS)
    assert set(METHOD_ACCESS) <= set(HTML_ACCESS) | {"staff:list", "staff:edit"}


@pytest.fixture
def records(staff_factory):
    """One record of each kind the pages take an id or code of, owned by `lena` (a CSR none
    of the matrix users is)."""
    from caredesk.branches.models import Branch
    from caredesk.people.models import Attendance, OvertimeRequest, Payslip, ShowroomVisit
    from caredesk.people.services import referral_create

    lena = staff_factory("lena", "csr")
    seller = staff_factory("seller", "sales")
    Branch.objects.create(code="MNL", name="Manila")
    today = timezone.localdate()
    return {
        "overtime_id": OvertimeRequest.objects.create(
            user=lena, date=today, hours=1, reason="Stock count"
        ).pk,
        "shift_id": Attendance.objects.create(user=lena).pk,
        "visit_id": ShowroomVisit.objects.create(host=lena, floor="matrix").pk,
        "payslip_id": Payslip.objects.create(
            employee=lena,
            period_start=today.replace(day=1),
            period_end=today.replace(day=15),
            gross=100,
            deductions=0,
            net=100,
            issued_by=seller,
        ).pk,
        "people:referral": {"code": referral_create(actor=seller, label="Matrix").code},
        "people:referral_follow": {"code": "MATRIX"},
        "branches:edit": {"code": "MNL"},
        "username": "lena",
        "uidb64": "MQ",
        "token": "not-a-valid-token",
    }


def _url(name: str, params: list[str], records: dict) -> str:
    specific = records.get(name, {})
    return reverse(name, kwargs={p: specific.get(p, records.get(p)) for p in params})


def _expected(role, name: str, method: str) -> str:
    needed = METHOD_ACCESS[name][method]
    gate = HTML_ACCESS.get(name, "manage_staff")
    if needed is None:
        if gate != PUBLIC and role is None:
            return "sign in"
        return "405" if gate == PUBLIC or gate in ROLES[role] else "403"
    if needed == PUBLIC:
        return "open"
    if role is None:
        return "sign in"
    return "open" if needed in ROLES[role] and gate in ROLES[role] else "403"


def _answer(response) -> str:
    status = response.status_code
    if status == 302 and response["Location"].startswith("/login/"):
        return "sign in"
    if status in (403, 405, 401):
        return str(status)
    return "500" if status >= 500 else "open"


ROLE_NAMES = [*ROLES, None]


@pytest.mark.parametrize("role", ROLE_NAMES, ids=[r or "anonymous" for r in ROLE_NAMES])
def test_every_page_by_role_and_method(role, staff_factory, records):
    client = Client()
    if role:
        client.force_login(staff_factory(f"matrix-{role}", role))
    failures = []
    for name, params in sorted(_patterns().items()):
        url = _url(name, params, records)
        for method in ("GET", "POST"):
            response = getattr(client, method.lower())(url)
            got, expected = _answer(response), _expected(role, name, method)
            if got != expected:
                failures.append(
                    f"{role or 'anonymous'} {method} {url} ({name}): expected {expected}, "
                    f"got {response.status_code}"
                )
    assert not failures, "\n".join(failures)


def test_a_csr_cannot_change_what_it_may_only_read(web_for, csr, records):
    """The pages a CSR reads but may not change refuse the change and leave it as it was."""
    from caredesk.people.models import ReferralLink

    client = web_for(csr)
    code = records["people:referral"]["code"]
    assert client.post(f"/people/referrals/{code}/", {"active": "0"}).status_code == 403
    assert ReferralLink.objects.get(code=code).active is True
    assert client.post("/people/referrals/", {"label": "Mine"}).status_code == 403
    assert ReferralLink.objects.count() == 1
