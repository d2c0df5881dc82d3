"""`caredesk check` reports a missing search index (an interrupted bulk load): searches would
still answer, slowly, without a word otherwise."""

from django.core import checks
from django.db import connections


@checks.register()
def search_indexes_present(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from caredesk.customers.search.indexes import missing

    try:
        absent = missing(connections["default"])
    except Exception:  # no database yet, or not reachable: nothing to say about indexes
        return []
    if not absent:
        return []
    return [
        checks.Warning(
            f"Search indexes missing: {', '.join(absent)}.",
            hint="`caredesk migrate` (or the next `caredesk bench search`) rebuilds them.",
            id="caredesk.W001",
        )
    ]
