"""Failures that are not bugs, classified once for the API handlers and the HTML error views:

- the database is briefly away (restart, failover, connection refused): 503 with Retry-After,
  so clients and load balancers retry instead of reporting a server error;
- a value the database cannot hold (an integer beyond 64 bits in a path, a string in an
  encoding it refuses): 400, the client's input, never a 500.
"""

from dataclasses import dataclass

from django.db import DataError, InterfaceError, OperationalError

RETRY_AFTER_SECONDS = 5


@dataclass(frozen=True)
class Fault:
    status: int
    code: str
    detail: str
    retry_after: int | None = None


UNAVAILABLE = Fault(
    503,
    "unavailable",
    "The service is briefly unavailable (database not reachable); try again in a few seconds.",
    RETRY_AFTER_SECONDS,
)
OUT_OF_RANGE = Fault(400, "out_of_range", "A value is out of the range this service accepts.")


def fault_for(exc: BaseException | None) -> Fault | None:
    """The answer for `exc` when it is one of the classes above, else None (a real bug)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DataError | OverflowError):
            return OUT_OF_RANGE
        if isinstance(exc, OperationalError | InterfaceError):
            return UNAVAILABLE
        exc = exc.__cause__ or exc.__context__
    return None


def database_available(using: str = "default") -> bool:
    """True when a trivial query answers on `using` (for /healthz)."""
    from django.db import connections

    try:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return False
    return True
