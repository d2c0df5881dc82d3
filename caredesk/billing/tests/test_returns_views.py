"""Return pages: the order page's Returns panel and "Start a return", the form's refusals,
the return page's policy-driven moves (and refusals in words), the list and the snapshot."""

import re

from caredesk.billing import services
from caredesk.billing.models import Return


def _start(order, csr, quantity=1):
    line = order.lines.order_by("position").first()
    return services.return_create(
        actor=csr, order=order, lines=[{"line": line.pk, "quantity": quantity}], reason="Bent"
    )


def test_the_order_page_offers_a_return_once_delivered(delivered_order, make_order, csr, web_for):
    client = web_for(csr)
    order = delivered_order()
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert 'id="returns"' in html and f"/orders/{order.number}/returns/new/" in html
    draft = make_order(paid="10.00")
    html = client.get(f"/orders/{draft.number}/").content.decode()
    assert 'id="returns"' not in html


def test_finance_sees_returns_but_is_not_offered_to_start_one(
    delivered_order, csr, finance, web_for
):
    order = delivered_order()
    ret = _start(order, csr)
    html = web_for(finance).get(f"/orders/{order.number}/").content.decode()
    assert ret.number in html and 'id="start-return"' not in html


def test_starting_a_return_from_the_form(delivered_order, csr, web_for):
    order = delivered_order()
    blade, oil = order.lines.order_by("position")
    client = web_for(csr)
    url = f"/orders/{order.number}/returns/new/"
    page = client.get(url).content.decode()
    assert "Units of Blade set 10 in to return" in page
    too_many = client.post(url, {f"qty_{blade.pk}": 3, "reason": "bent"})
    assert too_many.status_code == 400
    assert "less than or equal to 2" in too_many.content.decode()
    nothing = client.post(url, {"reason": "bent"})
    assert nothing.status_code == 400
    assert "Choose at least one delivered line" in nothing.content.decode()
    done = client.post(url, {f"qty_{oil.pk}": 2, "reason": "leaking", "replacement": "on"})
    ret = Return.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/returns/{ret.number}/"
    assert ret.replacement and ret.lines.get().quantity == 2


def test_a_closed_door_for_orders_not_delivered(make_order, csr, web_for):
    order = make_order(paid="10.00")
    response = web_for(csr).get(f"/orders/{order.number}/returns/new/")
    assert "once they are delivered" in response.content.decode()
    assert 'id="return-form"' not in response.content.decode()


def test_the_return_page_shows_the_moves_the_viewer_may_make(
    delivered_order, csr, manager, finance, web_for, django_assert_max_num_queries
):
    ret = _start(delivered_order(), csr)
    url = f"/returns/{ret.number}/"
    as_csr = web_for(csr).get(url).content.decode()
    assert "Cancel return" in as_csr and ">Approve return<" not in as_csr
    assert "Approve return: Returns are approved or rejected by the store manager." in as_csr
    client = web_for(manager)
    client.get(url)
    with django_assert_max_num_queries(25):
        as_manager = client.get(url).content.decode()
    assert ">Approve return<" in as_manager and ">Reject return<" in as_manager
    moved = client.post(f"{url}move/", {"to": "approved", "version": 1})
    assert moved.status_code == 302
    stale = client.post(f"{url}move/", {"to": "received", "version": 1}, follow=True)
    assert "changed by" in stale.content.decode()
    client.post(f"{url}move/", {"to": "received", "version": 2})
    ret.refresh_from_db()
    assert ret.status == "received"
    page = web_for(finance).get(url).content.decode()
    assert ">Record refund<" in page and "₱1,250.00" in page
    refused = web_for(finance).post(f"{url}move/", {"to": "closed", "version": 3}, follow=True)
    assert "Say why the return is closed" in refused.content.decode()
    web_for(finance).post(
        f"{url}move/", {"to": "refunded", "version": 3, "method": "cash", "reason": "back"}
    )
    ret.refresh_from_db()
    assert ret.status == "refunded"
    timeline = web_for(csr).get(url).content.decode().split('id="return-timeline"')[1]
    assert len(re.findall(r"<li>", timeline.split("</ul>")[0])) == 5  # 4 steps + the refund


def test_the_list_filters_and_pages_in_constant_queries(
    delivered_order, csr, manager, web_for, django_assert_max_num_queries
):
    order = delivered_order()
    first = _start(order, csr)
    _start(order, csr)
    services.return_transition(actor=manager, ret=first.number, to="approved")
    client = web_for(csr)
    client.get("/returns/")
    with django_assert_max_num_queries(20) as few:
        html = client.get("/returns/").content.decode()
    queries = len(few.captured_queries)
    assert first.number in html and "MNL-RMA-000002" in html
    approved = client.get("/returns/?status=approved").content.decode()
    assert first.number in approved and "MNL-RMA-000002" not in approved
    bad = client.get("/returns/?status=lost").content.decode()
    assert "Status is one of" in bad
    for _ in range(3):
        _start(delivered_order(), csr)
    with django_assert_max_num_queries(queries):
        client.get("/returns/?branch=MNL")


def test_returns_are_on_the_customer_snapshot(delivered_order, csr, web_for):
    order = delivered_order()
    ret = _start(order, csr)
    html = web_for(csr).get(f"/customers/{order.customer.member_id}/").content.decode()
    assert 'id="snapshot-returns"' in html and ret.number in html


def test_a_replacement_order_points_back_to_its_return(delivered_order, csr, manager, web_for):
    order = delivered_order()
    line = order.lines.order_by("position").first()
    ret = services.return_create(
        actor=csr,
        order=order,
        lines=[{"line": line.pk, "quantity": 1}],
        reason="Bent",
        replacement=True,
    )
    ret = services.return_transition(actor=manager, ret=ret.number, to="approved")
    made = ret.replacement_order.number
    assert made in web_for(csr).get(f"/returns/{ret.number}/").content.decode()
    html = web_for(csr).get(f"/orders/{made}/").content.decode()
    assert f'replaces the goods of return <a href="/returns/{ret.number}/">' in html


def test_the_search_box_finds_a_return_by_number(delivered_order, csr, web_for):
    ret = _start(delivered_order(), csr)
    html = web_for(csr).get("/customers/instant/", {"q": "mnl-rma-0000"}).content.decode()
    assert f'href="/returns/{ret.number}/"' in html and "Requested" in html
    assert (
        "/returns/" not in web_for(csr).get("/customers/instant/", {"q": "MNL-00"}).content.decode()
    )


def test_each_step_is_on_the_customers_activity(delivered_order, csr, manager, web_for):
    order = delivered_order()
    ret = _start(order, csr)
    services.return_transition(actor=manager, ret=ret.number, to="approved")
    html = web_for(csr).get(f"/customers/{order.customer.member_id}/").content.decode()
    assert f"Return {ret.number} requested: 1 ×" in html  # noqa: RUF001
    assert f"Return {ret.number} approved" in html
