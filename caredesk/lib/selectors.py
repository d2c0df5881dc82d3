"""Values read from URLs and forms, the same way by selectors, services and views."""


def int_or_none(value) -> int | None:
    """The integer in `value` (an id, a version or a count from a URL or form), None when it
    is no number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
