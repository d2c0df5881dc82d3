import pytest

from caredesk.audit.models import Event
from caredesk.comms.models import OutboundMessage
from caredesk.comms.tests import conftest as comms_fixtures
from caredesk.people.models import ShowroomVisit

pytestmark = pytest.mark.django_db

chat_api = comms_fixtures.chat_api  # the stand-in Telegram server of the comms tests


def test_claim_shows_banner_to_others_and_alerts_chat(api_for, web_for, csr, sales):
    claimed = api_for(csr).post("/api/v1/showroom/visits", json={"note": "Couple, sofas"})
    assert claimed.status_code == 201, claimed.content
    assert claimed.json()["host"] == "csr"
    chat = OutboundMessage.objects.get(kind="chat")
    assert chat.event_type == "showroom_visit" and chat.status == "queued"
    assert chat.text_body == "Showroom: Csr is hosting a visitor — Couple, sofas"

    banner = web_for(sales).get("/people/shell/")
    text = banner.content.decode()
    assert "Csr is hosting a visitor (since" in text
    assert "Release" not in text  # sales may not end another's visit

    active = api_for(sales).get("/api/v1/showroom/visits?active=true").json()
    assert active["count"] == 1


def test_second_claim_sees_who_has_it(api_for, csr, sales):
    api_for(csr).post("/api/v1/showroom/visits", json={"note": ""})
    second = api_for(sales).post("/api/v1/showroom/visits", json={"note": ""})
    assert second.status_code == 409
    assert second.json()["code"] == "taken"
    assert second.json()["detail"].startswith("Csr is hosting a visitor (since")
    assert ShowroomVisit.objects.filter(ended_at__isnull=True).count() == 1


def test_release_by_host_ends_banner(api_for, web_for, csr, sales):
    visit = api_for(csr).post("/api/v1/showroom/visits", json={}).json()
    refused = api_for(sales).post(f"/api/v1/showroom/visits/{visit['id']}/release")
    assert refused.status_code == 403
    released = api_for(csr).post(f"/api/v1/showroom/visits/{visit['id']}/release")
    assert released.status_code == 200
    assert released.json()["ended_at"]
    assert "hosting a visitor" not in web_for(sales).get("/people/shell/").content.decode()
    assert Event.objects.filter(action="showroom.visit_released").count() == 1


def test_presence_lists_clocked_in_and_active_staff(api_for, web_for, csr, sales):
    api_for(csr).post("/api/v1/me/clock-in")
    api_for(sales).post("/api/v1/me/clock-in")
    from caredesk.people.models import StaffProfile

    StaffProfile.objects.filter(user=sales).update(last_seen_at=None)
    groups = api_for(csr).get("/api/v1/presence").json()["results"]
    names = [s["username"] for g in groups for s in g["staff"]]
    assert names == ["csr"]
    assert "On the floor: 1" in web_for(csr).get("/people/shell/").content.decode()


def test_floor_page_query_count(web_for, csr, sales, django_assert_max_num_queries):
    from caredesk.people.services import clock_in, visit_claim

    clock_in(actor=csr)
    clock_in(actor=sales)
    visit_claim(actor=csr, note="walk-in")
    client = web_for(sales)
    with django_assert_max_num_queries(9):
        page = client.get("/people/floor/")
    assert page.status_code == 200
    assert b"is hosting a visitor" in page.content


@pytest.mark.django_db(transaction=True)
def test_two_claims_at_once_one_wins_the_other_is_told_who(staff_factory):
    """Two staff press "Host the visitor" at the same moment (PostgreSQL, real concurrency):
    the database admits one active visit; the loser's refusal names the winner."""
    import threading

    from django.db import connection

    from caredesk.lib.errors import Conflict
    from caredesk.people.services import visit_claim

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    users = [staff_factory("ana", "csr"), staff_factory("ben", "sales")]
    barrier = threading.Barrier(2)
    results = {}

    def claim(user):
        from django.db import connections

        try:
            barrier.wait()
            results[user.username] = visit_claim(actor=user, note="")
        except Conflict as exc:
            results[user.username] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [r for r in results.values() if isinstance(r, ShowroomVisit)]
    lost = [r for r in results.values() if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == 1
    assert "is hosting a visitor (since" in lost[0].detail
    assert ShowroomVisit.objects.filter(ended_at__isnull=True).count() == 1


def test_shell_poll_costs_the_same_however_many_are_on_the_floor(web_for, csr, staff_factory):
    """Every open page polls the shell: it counts the floor instead of listing it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caredesk.people.services import clock_in, presence_touch

    clock_in(actor=csr)
    client = web_for(csr)
    client.get("/people/shell/")

    def poll():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/people/shell/")
        assert page.status_code == 200
        return len(ctx.captured_queries), page.content.decode()

    few, page = poll()
    assert "On the floor: 1" in page
    for n in range(10):
        colleague = staff_factory(f"floor-{n}", "csr")
        clock_in(actor=colleague)
        presence_touch(colleague)
    many, page = poll()
    assert many == few and "On the floor: 11" in page


def test_showroom_alert_reaches_the_team_chat_through_the_outbox(chat_api, web_for, admin, csr):
    """The claim queues a chat message in its transaction; the outbox delivers it to Telegram
    once, naming the branch's showroom in words."""
    from caredesk.branches.models import Branch
    from caredesk.comms import outbox

    Branch.objects.create(code="CEB", name="Cebu")
    web_for(admin).post("/staff/csr/", {"action": "branch", "branch": "CEB"})
    claimed = web_for(csr).post("/people/showroom/claim/", {"note": "Family, beds"})
    assert claimed.status_code == 302
    visit = ShowroomVisit.objects.get()
    assert visit.floor == "CEB" and visit.note == "Family, beds"
    message = OutboundMessage.objects.get(kind="chat")
    assert outbox.outbox_sweep() == 1 and outbox.outbox_sweep() == 0
    assert [c["body"]["text"] for c in chat_api.calls] == [
        "Showroom Cebu: Csr is hosting a visitor — Family, beds"
    ]
    assert chat_api.calls[0]["body"]["chat_id"] == "-1001234"
    message.refresh_from_db()
    assert message.status == "sent"


def test_release_by_a_manager_and_a_second_claim_on_the_page(web_for, csr, sales, manager):
    """On the floor page the second person to claim is told who has the visitor; a manager may
    end a forgotten visit; then the floor is free again."""
    web_for(csr).post("/people/showroom/claim/", {"note": ""})
    second = web_for(sales).post("/people/showroom/claim/", {"note": ""}, follow=True)
    assert "Csr is hosting a visitor (since" in second.content.decode()
    assert ShowroomVisit.objects.filter(ended_at__isnull=True).count() == 1
    visit = ShowroomVisit.objects.get()
    ended = web_for(manager).post(f"/people/showroom/{visit.pk}/release/")
    assert ended.status_code == 302
    visit.refresh_from_db()
    assert visit.released_by == manager and visit.ended_at is not None
    again = web_for(sales).post("/people/showroom/claim/", {"note": "next"})
    assert again.status_code == 302
    assert ShowroomVisit.objects.get(ended_at__isnull=True).host == sales


def test_presence_is_grouped_by_branch_and_shown_on_the_floor_page(
    api_for, web_for, admin, csr, sales, finance
):
    """Who is on the floor, per branch: clocked in at the branch they work at and active in
    the workspace in the last minutes; a deactivated account is not."""
    from caredesk.branches.models import Branch
    from caredesk.people.services import clock_in

    Branch.objects.create(code="CEB", name="Cebu")
    Branch.objects.create(code="MNL", name="Manila")
    staff_page = web_for(admin)
    staff_page.post("/staff/csr/", {"action": "branch", "branch": "CEB"})
    staff_page.post("/staff/sales/", {"action": "branch", "branch": "MNL"})
    for person in (csr, sales, finance):
        clock_in(actor=person)
    groups = api_for(admin).get("/api/v1/presence").json()
    assert groups["count"] == 3
    by_branch = {
        g["code"]: (g["branch"], [s["username"] for s in g["staff"]]) for g in groups["results"]
    }
    assert by_branch == {
        "": ("No branch", ["finance"]),
        "CEB": ("Cebu", ["csr"]),
        "MNL": ("Manila", ["sales"]),
    }
    floor = web_for(admin).get("/people/floor/").content.decode()
    assert "Cebu (CEB)" in floor and "Manila (MNL)" in floor and "No branch" in floor
    staff_page.post("/staff/finance/", {"roles": ["finance"]})  # unticked "May sign in"
    names = [
        s["username"]
        for g in api_for(admin).get("/api/v1/presence").json()["results"]
        for s in g["staff"]
    ]
    assert sorted(names) == ["csr", "sales"]
