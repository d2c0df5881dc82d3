"""The shared pieces API endpoints are built from: lookups that answer 404 or 400 in the one
error format, the versioned answer, lazily mapped pages, the domain error family."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from ninja import Schema
from pydantic import TypeAdapter, ValidationError

from caredesk.lib import errors
from caredesk.lib.http import found, known, versioned_response
from caredesk.lib.schemas import Amount, Mapped, Price


def test_found_is_the_record_or_404_with_the_detail():
    assert found("row", "No such order.") == "row"
    with pytest.raises(errors.NotFound) as caught:
        found(None, "No such order.")
    assert (caught.value.status, caught.value.code) == (404, "not_found")
    assert caught.value.detail == "No such order."


def test_known_is_the_record_or_400_on_the_field():
    assert known(0, "Unknown branch X.", field="branch") == 0
    with pytest.raises(errors.Invalid) as caught:
        known(None, "Unknown branch X.", field="branch")
    assert (caught.value.status, caught.value.field) == (400, "branch")


class _ThingOut(Schema):
    name: str
    price: Decimal


def test_versioned_response_shapes_the_body_by_its_schema_and_sets_the_etag():
    request = RequestFactory().get("/api/v1/things/1")
    body = {"name": "Gloves", "price": Decimal("1.50"), "internal": "not shown"}
    response = versioned_response(request, body, 7, status=201, schema=_ThingOut)
    assert response.status_code == 201
    assert response["ETag"] == '"7"'
    assert response.content == b'{"name": "Gloves", "price": "1.50"}'


class _Rows(list):
    def count(self):
        return len(self)


def test_mapped_maps_only_the_sliced_page_row_by_row_or_at_once():
    rows = _Rows([1, 2, 3, 4])
    each = Mapped(rows, lambda n: n * 10)
    assert (len(each), each[1:3]) == (4, [20, 30])
    pages = []
    at_once = Mapped(rows, page=lambda page: pages.append(page) or [-n for n in page])
    assert at_once[2:4] == [-3, -4]
    assert pages == [[3, 4]]
    with pytest.raises(TypeError):
        Mapped(rows)
    with pytest.raises(TypeError):
        Mapped(rows, str, page=list)


def test_each_domain_error_names_its_status_and_code():
    table = {
        errors.Invalid: (400, "invalid"),
        errors.Unauthenticated: (401, "unauthorized"),
        errors.NotAllowed: (403, "forbidden"),
        errors.NotFound: (404, "not_found"),
        errors.Conflict: (409, "conflict"),
        errors.StaleVersion: (412, "stale_version"),
        errors.PreconditionRequired: (428, "precondition_required"),
        errors.RateLimited: (429, "rate_limited"),
    }
    for kind, (status, code) in table.items():
        assert (kind.status, kind.code) == (status, code)
        assert kind("refused").code == code
    assert errors.Conflict("refused", code="blocked").code == "blocked"
    assert errors.RateLimited("slow down", retry_after=5).retry_after == 5


def test_an_amount_is_more_than_zero_and_a_price_may_be_zero():
    assert TypeAdapter(Price).validate_python("0") == Decimal("0")
    assert TypeAdapter(Amount).validate_python("1000") == Decimal("1000")
    for value in ("0", True, "1.001", "1000000000"):
        with pytest.raises(ValidationError):
            TypeAdapter(Amount).validate_python(value)
    with pytest.raises(ValidationError):
        TypeAdapter(Price).validate_python(-1)


def test_a_patch_body_takes_each_create_field_optionally_and_refuses_unknown_ones():
    from caredesk.lib.schemas import Code, ShortText, StrictIn, patch_of

    class ThingIn(StrictIn):
        code: Code
        name: ShortText
        note: ShortText = ""

    ThingPatch = patch_of(
        ThingIn,
        name="ThingPatch",
        doc="Only the fields sent change.",
        leave_out=("code",),
        extra={"active": bool | None},
    )
    assert list(ThingPatch.model_fields) == ["name", "note", "active"]
    assert ThingPatch.__doc__ == "Only the fields sent change."
    sent = ThingPatch(name="Gloves")
    assert sent.model_fields_set == {"name"} and sent.note is None and sent.active is None
    for refused in ({"code": "X"}, {"name": "a\x00b"}, {"name": "x" * 201}):
        with pytest.raises(ValidationError):
            ThingPatch(**refused)
