import pytest

from caredesk.audit.models import Event
from caredesk.comms.models import OutboundMessage
from caredesk.people.models import ShowroomVisit

pytestmark = pytest.mark.django_db


def test_claim_shows_banner_to_others_and_alerts_chat(api_for, web_for, csr, sales):
    claimed = api_for(csr).post("/api/v1/showroom/visits", json={"note": "Couple, sofas"})
    assert claimed.status_code == 201, claimed.content
    assert claimed.json()["host"] == "csr"
    chat = OutboundMessage.objects.get(kind="chat")
    assert chat.event_type == "showroom_visit"
    assert "Csr is hosting a visitor" in chat.text_body or "hosting a visitor" in chat.text_body

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
