"""Small pieces the selectors of several apps read with."""


def row_id(value) -> int | None:
    """The integer primary key in `value` (a URL or form value), None when it is no number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
