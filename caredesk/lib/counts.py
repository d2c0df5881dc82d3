"""Counts that stay cheap on large tables: at most COUNT_CAP rows are counted (a LIMITed
subquery over the list's index), and screens say "1,000+" beyond, so a page or a panel costs
the same at 3 million rows as at 3 thousand."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


def capped_count(qs, cap: int | None = None) -> tuple[int, bool]:
    """(count, capped): the exact count up to `cap` (default COUNT_CAP), else (cap, True)."""
    cap = COUNT_CAP if cap is None else cap
    found = qs.order_by()[: cap + 1].count()
    return min(found, cap), found > cap


def count_label(count: int, capped: bool) -> str:
    """ "1,234", or "1,000+" for a capped count."""
    return f"{count:,}+" if capped else f"{count:,}"


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` rows; beyond it `capped` is set and the pager says
    "Page 1 of 20+"."""

    capped = False

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @cached_property
    def count(self) -> int:
        found = self.object_list[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)
