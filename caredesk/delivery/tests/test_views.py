import re
import zlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caredesk.delivery import services
from caredesk.delivery.models import Stop
from caredesk.orders.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(csr, run, make_ready_order):
    for lat, lng in ((14.70, 121.05), (14.60, 120.99)):
        services.stop_add(actor=csr, run=run, order=make_ready_order(lat=lat, lng=lng))
    return run


def test_pages_render(web_for, csr, manager, installer, planned):
    date = planned.date.isoformat()
    for user in (csr, manager):
        web = web_for(user)
        for url in (
            reverse("delivery:schedule") + f"?date={date}",
            reverse("delivery:run", args=[planned.pk]),
            reverse("delivery:route_sheet", args=[planned.pk]),
            reverse("delivery:map") + f"?date={date}",
            reverse("delivery:exceptions"),
            reverse("workspace:dashboard"),
        ):
            r = web.get(url)
            assert r.status_code == 200, (user, url)
            assert b"style=" not in r.content and b"<script>" not in r.content
    r = web_for(installer).get(reverse("delivery:my_runs") + f"?date={date}")
    assert r.status_code == 200 and b"tel:" in r.content


def _pdf_text(data: bytes) -> str:
    """The text drawing operators of a PDF made by fpdf2 (its content streams, inflated)."""
    chunks = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
    out = []
    for chunk in chunks:
        try:
            out.append(zlib.decompress(chunk).decode("latin-1"))
        except zlib.error:
            out.append(chunk.decode("latin-1"))
    return "".join(out)


def test_route_sheet_pdf_lists_stops_in_order(web_for, csr, planned):
    first, second = planned.stops.order_by("sequence")
    planned.refresh_from_db()
    services.run_resequence(
        actor=csr, run=planned, stops=[second.pk, first.pk], expected_version=planned.version
    )
    r = web_for(csr).get(reverse("delivery:route_sheet_pdf", args=[planned.pk]))
    assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    text = _pdf_text(r.content)
    a, b = text.find(second.order.number), text.find(first.order.number)
    assert -1 < a < b


def test_day_schedule_queries_do_not_grow(web_for, csr, run, make_ready_order):
    web = web_for(csr)
    url = reverse("delivery:schedule") + f"?date={run.date}"
    services.stop_add(actor=csr, run=run, order=make_ready_order())
    web.get(url)
    with CaptureQueriesContext(connection) as few:
        web.get(url)
    for _ in range(3):
        services.stop_add(actor=csr, run=run, order=make_ready_order())
    with CaptureQueriesContext(connection) as many:
        web.get(url)
    assert len(many) == len(few)


def test_move_up_with_stale_version_is_refused(web_for, csr, planned):
    web = web_for(csr)
    _first, second = planned.stops.order_by("sequence")
    url = reverse("delivery:run_sequence", args=[planned.pk])
    r = web.post(url, {"version": planned.version - 1, "stop": second.pk, "move": "up"})
    assert r.status_code == 302
    assert Stop.objects.get(pk=second.pk).sequence == 2
    planned.refresh_from_db()
    web.post(url, {"version": planned.version, "stop": second.pk, "move": "up"})
    assert Stop.objects.get(pk=second.pk).sequence == 1


def test_order_page_has_add_to_run(web_for, csr, run, make_ready_order):
    order = make_ready_order()
    r = web_for(csr).get(reverse("orders:detail", args=[order.number]))
    assert b'id="add-to-run"' in r.content
    r = web_for(csr).post(
        reverse("delivery:order_add"),
        {"order": order.number, "run": run.pk, "set_date": "1", "next": "/x/"},
    )
    assert r.status_code == 302 and Stop.objects.filter(order=order).exists()
    pending = make_ready_order(status=Status.PENDING)
    r = web_for(csr).get(reverse("orders:detail", args=[pending.number]))
    assert b"only ready orders" in r.content


def test_order_panel_offers_open_runs_only_when_the_order_may_go_on_one(
    web_for, csr, run, make_ready_order
):
    web = web_for(csr)
    ready = make_ready_order()
    html = web.get(reverse("orders:detail", args=[ready.number])).content.decode()
    assert f'<option value="{run.pk}">' in html
    draft = make_ready_order(status=Status.DRAFT)
    with CaptureQueriesContext(connection) as captured:
        web.get(reverse("orders:detail", args=[draft.number]))
    assert not any('FROM "delivery_run"' in q["sql"] for q in captured)  # no open runs
