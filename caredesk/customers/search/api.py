"""`GET /api/v1/customers`: the instant search (`q`) or the advanced criteria."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Schema

from caredesk.lib.errors import Invalid
from caredesk.lib.schemas import MAX_PAGE

from . import CAP, criteria_clean, customers_instant_page, customers_search, phone_local


class CustomerHit(Schema):
    member_id: str
    first_name: str
    last_name: str
    nickname: str
    company: str
    name: str
    email: str
    phone: str
    phone_local: str
    account_type: str
    status: str
    city: str | None
    last_activity_at: datetime
    related: bool


class SearchOut(Schema):
    count: int
    capped: bool
    page: int
    limit: int
    next_page: int | None
    results: list[CustomerHit]


class SearchParams(Schema):
    q: str = ""
    email: str = ""
    member_id: str = ""
    group: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    account_type: list[str] = []
    address: str = ""
    card_last4: str = ""
    card_last_name: str = ""
    exclude_closed: bool = False
    sort: str = "name"
    page: int = Field(1, le=MAX_PAGE)
    limit: int = 50


def customers_list(request: HttpRequest, params: Query[SearchParams]):
    if not 1 <= params.limit <= 100:
        raise Invalid("limit must be between 1 and 100.", code="invalid_limit", field="limit")
    if params.page < 1:
        raise Invalid("page must be 1 or more.", code="invalid_page", field="page")
    if params.sort not in ("name", "-name", "activity", "-activity"):
        raise Invalid("sort must be name, -name, activity or -activity.", field="sort")
    raw = params.dict()
    raw["account_types"] = raw.pop("account_type")
    criteria = criteria_clean(raw)
    if params.q.strip():
        if not criteria.is_empty():
            raise Invalid("Use q or the advanced criteria, not both.", code="q_and_criteria")
        result = customers_instant_page(q=params.q, page=params.page, limit=params.limit)
    elif criteria.is_empty():
        raise Invalid("Give q or at least one search criterion.", code="no_criteria")
    else:
        result = customers_search(
            criteria=criteria, sort=params.sort, page=params.page, limit=params.limit
        )
    return {
        "count": result.count,
        "capped": result.capped,
        "page": result.page,
        "limit": result.limit,
        "next_page": result.page + 1 if result.has_next else None,
        "results": [
            {
                "member_id": c.member_id,
                "first_name": c.first_name,
                "last_name": c.last_name,
                "nickname": c.nickname,
                "company": c.company,
                "name": c.display_name,
                "email": c.email,
                "phone": c.phone,
                "phone_local": phone_local(c.phone),
                "account_type": c.account_type,
                "status": c.status,
                "city": c.city,
                "last_activity_at": c.last_activity_at,
                "related": c.related,
            }
            for c in result.customers
        ],
    }


def register(router) -> None:
    """Add `GET /customers` to the customers router (the same path as `POST /customers`, so
    both methods share one route)."""
    router.get(
        "/customers",
        SearchOut,
        "search_customers",
        "Search customers",
        description=(
            "Either `q` (the instant search: name, nickname, business, email fragment, phone in "
            "any format, member ID; exact matches first) or the advanced criteria, combined with "
            "AND. `%` is a wildcard; only `address` may start with it. `company` needs at least "
            "one `account_type`; `card_last_name` (case-sensitive) needs `card_last4`. "
            f"`count` is exact up to {CAP}; above that it is {CAP} with `capped: true` and only "
            f"the first {CAP} matches are paged. `sort`: name, -name, activity, -activity. "
            "Bad input: 400 `{detail, code, field}`."
        ),
    )(customers_list)
