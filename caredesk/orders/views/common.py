"""Shared by the order pages: capped pagination and loading an order."""

from caredesk.lib import counts
from caredesk.orders.models import Order
from caredesk.orders.selectors import (
    order_detail,
)

PAGE_SIZE = 50


COUNT_CAP = counts.COUNT_CAP


class CappedPaginator(counts.CappedPaginator):
    """Counts at most COUNT_CAP rows (a LIMITed subquery), so a page of a large grid costs
    the same at 3 million orders as at 3 thousand; beyond the cap the pager says "N+"."""

    @property
    def cap(self) -> int:
        return COUNT_CAP  # this module's, read at each count


def page_of(request, qs):
    return CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def order_or_404(number: str) -> Order:
    from django.http import Http404

    order = order_detail(number)
    if order is None:
        raise Http404
    return order
