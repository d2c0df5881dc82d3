"""HTTP details shared by the API endpoints."""

from caredesk.lib.errors import Invalid, PreconditionRequired


def if_match_version(request, *, required: bool = False) -> int | None:
    """The record version the client read, from `If-Match` (the ETag of GET, `"7"`, `W/"7"`
    or `7`). Missing: None, or 428 when `required`. Not a number: 400."""
    raw = (request.headers.get("If-Match") or "").strip()
    if not raw:
        if required:
            raise PreconditionRequired(
                "Send If-Match with the version you read (the ETag of GET).",
                code="if_match_required",
            )
        return None
    value = raw.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise Invalid("If-Match must be the version number from the ETag.", field="If-Match")
    return int(value)
