"""A customer's additional emails and phones: the services (normalising, duplicates, FRAUD-STOP
blocklist, card numbers, version, role, audit, search keys), the API and the pages."""

import pytest
from django.urls import reverse

from caredesk.audit.models import Event
from caredesk.comms.models import OutboundMessage
from caredesk.customers import selectors
from caredesk.customers.models import ContactPoint, Customer
from caredesk.customers.search import customers_instant
from caredesk.customers.services import (
    blocklist_add,
    contact_add,
    contact_change,
    contact_make_primary,
    contact_remove,
)
from caredesk.lib.errors import Conflict, Invalid, NotAllowed, NotFound, StaleVersion

pytestmark = pytest.mark.django_db

CARD = "4111 1111 1111 1111"


def _found(q: str) -> list[str]:
    return [c.member_id for c in customers_instant(q=q)]


def _events(customer, action: str):
    return Event.objects.filter(
        target_type="customers.customer", target_id=str(customer.pk), action=action
    )


def _fresh(customer) -> Customer:
    return Customer.objects.get(pk=customer.pk)


# --- Services ----------------------------------------------------------------------------------


def test_add_phone_normalises_bumps_version_and_records_the_change(make_customer, csr):
    customer = make_customer()
    before = customer.updated_at
    contact = contact_add(
        actor=csr,
        customer=customer,
        kind="phone",
        value="0918-555 1234",
        label="  mobile   2 ",
        expected_version=1,
    )
    assert (contact.kind, contact.value, contact.label) == ("phone", "+639185551234", "mobile 2")
    assert contact.search_key == "9185551234"
    current = _fresh(customer)
    assert current.version == 2 and current.updated_at > before
    event = _events(customer, "customer.contact_added").get()
    assert event.actor_label == "csr"
    assert event.before == {"additional_phone": ""}
    assert event.after == {"additional_phone": "+639185551234 (mobile 2)"}
    assert selectors.audit_history(current).first().pk == event.pk


def test_add_email_is_lower_cased(make_customer, csr):
    customer = make_customer()
    contact = contact_add(actor=csr, customer=customer, kind="email", value=" Maria@Office.PH ")
    assert contact.value == "maria@office.ph"


@pytest.mark.parametrize(
    "kind, value, message",
    [
        ("phone", "0917 12", "not a valid phone number"),
        ("phone", "", "Enter the phone number"),
        ("email", "maria@", "Enter a valid email address"),
        ("email", "  ", "Enter the email address"),
        ("fax", "0917 123 0000", "Choose one of: email, phone"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(make_customer, csr, kind, value, message):
    customer = make_customer()
    with pytest.raises(Invalid) as refused:
        contact_add(actor=csr, customer=customer, kind=kind, value=value)
    assert message in refused.value.detail
    assert refused.value.field in ("value", "kind")
    assert not ContactPoint.objects.exists()
    assert _fresh(customer).version == 1


def test_the_same_phone_message_as_the_primary_phone(make_customer, csr):
    from caredesk.customers.services import customer_update

    customer = make_customer()
    with pytest.raises(Invalid) as primary:
        customer_update(actor=csr, customer=customer, changes={"phone": "12345"})
    with pytest.raises(Invalid) as additional:
        contact_add(actor=csr, customer=customer, kind="phone", value="12345")
    assert primary.value.detail == additional.value.detail


@pytest.mark.parametrize(
    "kind, value",
    [
        ("phone", "+63 917 123 4567"),  # the primary phone, typed another way
        ("email", "MARIA.SANTOS@example.ph"),  # the primary email
        ("phone", "0918 999 0000"),  # already an additional phone
    ],
)
def test_a_value_the_customer_has_is_refused(make_customer, csr, kind, value):
    customer = make_customer()
    contact_add(actor=csr, customer=customer, kind="phone", value="+639189990000")
    with pytest.raises(Conflict) as refused:
        contact_add(actor=csr, customer=customer, kind=kind, value=value)
    assert refused.value.code == "duplicate_contact" and refused.value.field == "value"
    assert ContactPoint.objects.count() == 1


def test_a_blocked_phone_is_refused_recorded_and_alerted(make_customer, csr, settings):
    settings.CAREDESK_CHAT_ALERT_EVENTS = ["fraud_hit"]
    customer = make_customer()
    blocklist_add(actor=csr, kind="phone", value="0918 000 1111", reason="Fraud ring")
    with pytest.raises(Conflict) as refused:
        contact_add(actor=csr, customer=customer, kind="phone", value="+63 918 000 1111")
    assert refused.value.code == "blocked"
    assert not ContactPoint.objects.exists()
    assert _fresh(customer).version == 1
    attempt = _events(customer, "safety.blocked_attempt").get()
    assert attempt.data["attempted"] == "customer.contact_add"
    assert attempt.data["entries"][0]["value"] == "+639180001111"
    assert attempt in selectors.safety_history(customer)
    alert = OutboundMessage.objects.get(kind="chat", event_type="fraud_hit")
    assert customer.member_id in alert.subject


def test_a_blocked_email_cannot_come_in_through_a_change(make_customer, csr):
    customer = make_customer()
    contact = contact_add(actor=csr, customer=customer, kind="email", value="maria@office.ph")
    blocklist_add(actor=csr, kind="email", value="mule@fraud.example")
    with pytest.raises(Conflict) as refused:
        contact_change(
            actor=csr, customer=customer, contact_id=contact.pk, value="Mule@Fraud.example"
        )
    assert refused.value.code == "blocked"
    contact.refresh_from_db()
    assert contact.value == "maria@office.ph"
    assert _events(customer, "safety.blocked_attempt").count() == 1


@pytest.mark.parametrize("field", ["value", "label"])
def test_a_card_number_is_refused_anywhere(make_customer, csr, field):
    customer = make_customer()
    data = {"kind": "phone", "value": "0918 555 1234", "label": ""}
    data[field] = CARD
    with pytest.raises(Invalid) as refused:
        contact_add(actor=csr, customer=customer, **data)
    assert refused.value.code == "card_number" and refused.value.field == field
    assert CARD not in refused.value.detail
    assert not ContactPoint.objects.exists()


def test_stale_version_and_wrong_role_are_refused(make_customer, csr, sales):
    customer = make_customer()
    contact_add(actor=csr, customer=customer, kind="phone", value="0918 555 1234")
    with pytest.raises(StaleVersion) as stale:
        contact_add(
            actor=csr, customer=customer, kind="phone", value="0918 555 9999", expected_version=1
        )
    assert "changed by csr" in stale.value.detail
    with pytest.raises(NotAllowed):
        contact_add(actor=sales, customer=customer, kind="phone", value="0918 555 9999")
    assert ContactPoint.objects.count() == 1
    assert _fresh(customer).version == 2


def test_change_value_and_label(make_customer, csr):
    customer = make_customer()
    contact = contact_add(actor=csr, customer=customer, kind="phone", value="0918 555 1234")
    changed = contact_change(
        actor=csr,
        customer=customer,
        contact_id=contact.pk,
        value="0918 555 4321",
        label="office",
        expected_version=2,
    )
    assert (changed.value, changed.label, changed.search_key) == (
        "+639185554321",
        "office",
        "9185554321",
    )
    event = _events(customer, "customer.contact_changed").get()
    assert event.before == {"additional_phone": "+639185551234"}
    assert event.after == {"additional_phone": "+639185554321 (office)"}
    assert _fresh(customer).version == 3
    # The same values again: no change, no event, no version bump.
    contact_change(actor=csr, customer=customer, contact_id=contact.pk, value="09185554321")
    assert _events(customer, "customer.contact_changed").count() == 1
    assert _fresh(customer).version == 3


def test_change_refuses_duplicates_other_kinds_and_strangers(make_customer, csr):
    customer = make_customer()
    other = make_customer(email="other@example.ph", phone="0918 222 3333")
    contact = contact_add(actor=csr, customer=customer, kind="phone", value="0918 555 1234")
    with pytest.raises(Conflict):
        contact_change(actor=csr, customer=customer, contact_id=contact.pk, value="09171234567")
    with pytest.raises(Invalid) as kind:
        contact_change(actor=csr, customer=customer, contact_id=contact.pk, kind="email")
    assert kind.value.field == "kind"
    with pytest.raises(NotFound):
        contact_change(actor=csr, customer=other, contact_id=contact.pk, label="x")
    # Another customer may have the same number.
    contact_add(actor=csr, customer=other, kind="phone", value="0918 555 1234")


def test_remove_records_and_search_forgets_the_value(make_customer, csr):
    customer = make_customer()
    contact = contact_add(actor=csr, customer=customer, kind="phone", value="0918 555 1234")
    assert customer.member_id in _found("0918 555 1234")
    assert customer.member_id in _found("+639185551234")
    contact_remove(actor=csr, customer=customer, contact_id=contact.pk, expected_version=2)
    assert not ContactPoint.objects.exists()
    assert customer.member_id not in _found("0918 555 1234")
    assert customer.member_id not in _found("9185551234")
    event = _events(customer, "customer.contact_removed").get()
    assert event.before == {"additional_phone": "+639185551234"}
    assert event.after == {"additional_phone": ""}
    with pytest.raises(NotFound):
        contact_remove(actor=csr, customer=customer, contact_id=contact.pk)


def test_search_finds_an_added_email(make_customer, csr):
    customer = make_customer()
    contact_add(actor=csr, customer=customer, kind="email", value="ria.w@officeplace.ph")
    assert customer.member_id in _found("ria.w@officeplace.ph")


def test_make_primary_swaps_with_the_primary_phone(make_customer, csr):
    customer = make_customer()
    contact = contact_add(
        actor=csr, customer=customer, kind="phone", value="0918 555 1234", label="work"
    )
    current = contact_make_primary(
        actor=csr, customer=customer, contact_id=contact.pk, expected_version=2
    )
    assert current.phone == "+639185551234" and current.version == 3
    contact.refresh_from_db()
    assert (contact.value, contact.label) == ("+639171234567", "")
    stored = _fresh(customer)
    assert stored.phone == "+639185551234" and stored.phone_digits == "9185551234"
    event = _events(customer, "customer.contact_made_primary").get()
    assert event.before == {"phone": "+639171234567", "additional_phone": "+639185551234 (work)"}
    assert event.after == {"phone": "+639185551234", "additional_phone": "+639171234567"}
    # Both numbers still find the customer.
    assert customer.member_id in _found("0918 555 1234")
    assert customer.member_id in _found("0917 123 4567")


def test_profile_edit_cannot_copy_an_additional_value_into_the_primary(make_customer, csr):
    from caredesk.customers.services import customer_update

    customer = make_customer()
    contact_add(actor=csr, customer=customer, kind="phone", value="0918 555 1234")
    contact_add(actor=csr, customer=customer, kind="email", value="work@example.ph")
    for field, value in (("phone", "+63 918 555 1234"), ("email", "WORK@example.ph")):
        with pytest.raises(Conflict) as refused:
            customer_update(actor=csr, customer=customer, changes={field: value})
        assert refused.value.code == "duplicate_contact" and refused.value.field == field
    stored = _fresh(customer)
    assert (stored.phone, stored.version) == ("+639171234567", 3)


def test_make_primary_without_a_primary_moves_the_value(make_customer, csr):
    customer = make_customer(email="")
    contact = contact_add(actor=csr, customer=customer, kind="email", value="maria@office.ph")
    current = contact_make_primary(actor=csr, customer=customer, contact_id=contact.pk)
    assert current.email == "maria@office.ph"
    assert not ContactPoint.objects.exists()
    event = _events(customer, "customer.contact_made_primary").get()
    assert event.after == {"email": "maria@office.ph", "additional_email": ""}


def test_make_primary_of_a_value_blocked_since_is_refused(make_customer, csr):
    customer = make_customer()
    contact = contact_add(actor=csr, customer=customer, kind="phone", value="0918 555 1234")
    blocklist_add(actor=csr, kind="phone", value="0918 555 1234")
    with pytest.raises(Conflict) as refused:
        contact_make_primary(actor=csr, customer=customer, contact_id=contact.pk)
    assert refused.value.code == "blocked"
    assert _fresh(customer).phone == "+639171234567"


def test_a_value_changed_between_the_blocklist_check_and_the_lock_is_refused(
    make_customer, csr, monkeypatch
):
    """Change and make-primary check the blocklist before taking the lock; a value changed in
    between is refused as stale, and nothing is written."""
    from caredesk.customers.services import contacts

    customer = make_customer()
    contact = contact_add(actor=csr, customer=customer, kind="phone", value="0918 555 1234")

    values = iter(["+639185550000", "+639185550001"])

    def changed_meanwhile(**_):
        ContactPoint.objects.filter(pk=contact.pk).update(value=next(values))

    monkeypatch.setattr(contacts, "_enforce_blocklist", changed_meanwhile)
    for action, arguments in (
        (contact_change, {"value": "0918 555 9999"}),
        (contact_make_primary, {}),
    ):
        with pytest.raises(StaleVersion):
            action(actor=csr, customer=customer, contact_id=contact.pk, **arguments)
    stored = _fresh(customer)
    assert (stored.phone, stored.version) == ("+639171234567", 2)


# --- API ---------------------------------------------------------------------------------------


def _url(customer, *rest) -> str:
    return "/".join([f"/api/v1/customers/{customer.member_id}/contacts", *map(str, rest)])


def test_api_add_lists_the_contact_with_its_id(make_customer, csr, api_for):
    customer = make_customer()
    response = api_for(csr).post(
        _url(customer),
        json={"kind": "phone", "value": "0918 555 1234", "label": "work"},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["ETag"] == "2" and body["version"] == 2
    contact = ContactPoint.objects.get()
    assert body["created_id"] == contact.pk
    assert body["contacts"] == [
        {
            "id": contact.pk,
            "kind": "phone",
            "value": "+639185551234",
            "value_local": "0918 555 1234",
            "label": "work",
        }
    ]
    assert body["audit_history"][0]["action"] == "customer.contact_added"
    assert body["addresses"][0]["id"] == customer.addresses.get().pk


def test_api_change_remove_and_make_primary(make_customer, csr, api_for):
    customer = make_customer()
    client = api_for(csr)
    contact = contact_add(actor=csr, customer=customer, kind="email", value="maria@office.ph")
    changed = client.patch(
        _url(customer, contact.pk), json={"label": "office"}, headers={"If-Match": "2"}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["contacts"][0]["label"] == "office" and changed["ETag"] == "3"
    primary = client.post(_url(customer, contact.pk, "make-primary"), headers={"If-Match": "3"})
    assert primary.status_code == 200, primary.content
    body = primary.json()
    assert body["email"] == "maria@office.ph"
    assert body["contacts"][0]["value"] == "maria.santos@example.ph"
    removed = client.delete(_url(customer, contact.pk), headers={"If-Match": "4"})
    assert removed.status_code == 200, removed.content
    assert removed.json()["contacts"] == [] and removed["ETag"] == "5"


@pytest.mark.parametrize(
    "payload, status, code, field",
    [
        ({"kind": "phone", "value": "0917 12"}, 400, "invalid", "value"),
        ({"kind": "email", "value": "maria@"}, 400, "invalid", "value"),
        ({"kind": "phone", "value": "+63 917 123 4567"}, 409, "duplicate_contact", "value"),
        ({"kind": "phone", "value": CARD}, 400, "card_number", "value"),
        ({"kind": "email", "value": "x@y.ph", "label": CARD}, 400, "card_number", "label"),
        ({"kind": "phone"}, 422, "validation_error", "value"),
    ],
)
def test_api_bad_input(make_customer, csr, api_for, payload, status, code, field):
    customer = make_customer()
    response = api_for(csr).post(_url(customer), json=payload, headers={"If-Match": "1"})
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body.get("field", body.get("errors", [{}])[0].get("field")) == field
    assert CARD not in body["detail"]
    assert not ContactPoint.objects.exists()


def test_api_blocked_value_is_409_with_alert_and_audit(make_customer, csr, api_for, settings):
    settings.CAREDESK_CHAT_ALERT_EVENTS = ["fraud_hit"]
    customer = make_customer()
    blocklist_add(actor=csr, kind="email", value="mule@fraud.example")
    response = api_for(csr).post(
        _url(customer),
        json={"kind": "email", "value": "MULE@fraud.example"},
        headers={"If-Match": "1"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "blocked"
    assert "FRAUD-STOP blocklist" in response.json()["detail"]
    assert _events(customer, "safety.blocked_attempt").count() == 1
    assert OutboundMessage.objects.filter(kind="chat", event_type="fraud_hit").count() == 1
    assert not ContactPoint.objects.exists()


def test_api_version_is_required_and_checked(make_customer, csr, manager, api_for):
    customer = make_customer()
    payload = {"kind": "phone", "value": "0918 555 1234"}
    missing = api_for(csr).post(_url(customer), json=payload)
    assert missing.status_code == 428 and missing.json()["code"] == "if_match_required"
    contact_add(actor=csr, customer=customer, kind="email", value="maria@office.ph")
    stale = api_for(manager).post(_url(customer), json=payload, headers={"If-Match": "1"})
    assert stale.status_code == 412 and stale.json()["code"] == "stale_version"
    assert "changed by csr" in stale.json()["detail"]
    contact = ContactPoint.objects.get()
    for method, url in [
        ("patch", _url(customer, contact.pk)),
        ("delete", _url(customer, contact.pk)),
        ("post", _url(customer, contact.pk, "make-primary")),
    ]:
        kwargs = {"json": {"label": "x"}} if method == "patch" else {}
        assert getattr(api_for(csr), method)(url, **kwargs).status_code == 428
        response = getattr(api_for(csr), method)(url, headers={"If-Match": "1"}, **kwargs)
        assert response.status_code == 412
    assert ContactPoint.objects.get().label == ""


def test_api_wrong_role_unknown_customer_and_foreign_contact(make_customer, csr, sales, api_for):
    customer = make_customer()
    other = make_customer(email="o@example.ph", phone="0918 222 3333")
    contact = contact_add(actor=csr, customer=other, kind="phone", value="0918 555 1234")
    payload = {"kind": "phone", "value": "0918 555 9999"}
    forbidden = api_for(sales).post(_url(customer), json=payload, headers={"If-Match": "1"})
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    unknown = api_for(csr).post(
        "/api/v1/customers/M7777777/contacts", json=payload, headers={"If-Match": "1"}
    )
    assert unknown.status_code == 404
    foreign = api_for(csr).delete(_url(customer, contact.pk), headers={"If-Match": "1"})
    assert foreign.status_code == 404 and foreign.json()["code"] == "not_found"
    assert ContactPoint.objects.filter(pk=contact.pk).exists()


def test_api_changing_the_kind_is_refused(make_customer, csr, api_for):
    customer = make_customer()
    contact = contact_add(actor=csr, customer=customer, kind="phone", value="0918 555 1234")
    response = api_for(csr).patch(
        _url(customer, contact.pk), json={"kind": "email"}, headers={"If-Match": "2"}
    )
    assert response.status_code == 400 and response.json()["field"] == "kind"


# --- Pages -------------------------------------------------------------------------------------


def test_snapshot_lists_contacts_with_actions_for_editors_only(rich_customer, csr, sales, web_for):
    url = reverse("customers:snapshot", args=[rich_customer.member_id])
    html = web_for(csr).get(url).content.decode()
    work = rich_customer.contacts.get(kind="phone")
    for text in [
        "0918 999 0000",
        "maria@work.ph",
        "Primary",
        reverse("customers:contact_make_primary", args=[rich_customer.member_id, work.pk]),
        reverse("customers:contact_edit", args=[rich_customer.member_id, work.pk]),
        reverse("customers:contact_remove", args=[rich_customer.member_id, work.pk]),
        reverse("customers:contact_add", args=[rich_customer.member_id]) + "?kind=phone",
    ]:
        assert text in html, text
    read_only = web_for(sales).get(url).content.decode()
    assert "0918 999 0000" in read_only
    assert "make-primary" not in read_only and "+ Phone" not in read_only


def test_add_form_shows_errors_next_to_the_field_then_adds(make_customer, csr, web_for):
    customer = make_customer()
    client = web_for(csr)
    url = reverse("customers:contact_add", args=[customer.member_id])
    page = client.get(url + "?kind=email")
    assert page.status_code == 200
    assert '<option value="email" selected>' in page.content.decode()
    bad = client.post(url, {"version": "1", "kind": "phone", "value": "0917 12", "label": ""})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'class="field-error"' in html and "not a valid phone number" in html
    assert 'value="0917 12"' in html
    duplicate = client.post(url, {"version": "1", "kind": "phone", "value": "09171234567"})
    assert duplicate.status_code == 409
    assert "already the customer&#x27;s primary phone number" in duplicate.content.decode()
    ok = client.post(
        url, {"version": "1", "kind": "phone", "value": "0918 555 1234", "label": "work"}
    )
    assert ok.status_code == 302
    assert ok["Location"] == f"/customers/{customer.member_id}/"
    snapshot = client.get(ok["Location"]).content.decode()
    assert "Added 0918 555 1234 (work)." in snapshot
    assert "0918 555 1234" in snapshot


def test_add_form_blocked_value_is_shown_not_a_500(make_customer, csr, web_for):
    customer = make_customer()
    blocklist_add(actor=csr, kind="phone", value="0918 000 1111")
    response = web_for(csr).post(
        reverse("customers:contact_add", args=[customer.member_id]),
        {"version": "1", "kind": "phone", "value": "0918 000 1111"},
    )
    assert response.status_code == 409
    assert "FRAUD-STOP blocklist" in response.content.decode()
    assert _events(customer, "safety.blocked_attempt").count() == 1


def test_stale_form_says_who_and_saving_again_applies(make_customer, csr, manager, web_for):
    customer = make_customer()
    contact_add(actor=manager, customer=customer, kind="email", value="maria@office.ph")
    client = web_for(csr)
    url = reverse("customers:contact_add", args=[customer.member_id])
    data = {"version": "1", "kind": "phone", "value": "0918 555 1234", "label": ""}
    stale = client.post(url, data)
    assert stale.status_code == 412
    html = stale.content.decode()
    assert "changed by manager" in html and "Saving again applies your input." in html
    assert 'name="version" value="2"' in html
    assert client.post(url, {**data, "version": "2"}).status_code == 302
    assert ContactPoint.objects.filter(kind="phone").count() == 1


def test_edit_remove_and_make_primary_pages(make_customer, csr, web_for):
    customer = make_customer()
    contact = contact_add(actor=csr, customer=customer, kind="phone", value="0918 555 1234")
    client = web_for(csr)
    args = [customer.member_id, contact.pk]
    edit = client.get(reverse("customers:contact_edit", args=args))
    assert edit.status_code == 200 and 'value="0918 555 1234"' in edit.content.decode()
    saved = client.post(
        reverse("customers:contact_edit", args=args),
        {"version": "2", "kind": "email", "value": "0918 555 1234", "label": "office"},
    )
    assert saved.status_code == 302
    contact.refresh_from_db()
    assert (contact.kind, contact.label) == ("phone", "office")  # the kind stays

    primary = client.post(
        reverse("customers:contact_make_primary", args=args), {"version": "3"}, follow=True
    )
    assert "0918 555 1234 (office) is now the primary phone." in primary.content.decode()
    assert _fresh(customer).phone == "+639185551234"

    confirm = client.get(reverse("customers:contact_remove", args=args))
    assert confirm.status_code == 200
    assert "Remove <strong>0917 123 4567</strong>" in confirm.content.decode()
    removed = client.post(reverse("customers:contact_remove", args=args), {"version": "4"})
    assert removed.status_code == 302
    assert not ContactPoint.objects.exists()
    assert client.get(reverse("customers:contact_edit", args=args)).status_code == 404


def test_stale_make_primary_button_explains_on_the_snapshot(make_customer, csr, web_for):
    customer = make_customer()
    contact = contact_add(actor=csr, customer=customer, kind="phone", value="0918 555 1234")
    response = web_for(csr).post(
        reverse("customers:contact_make_primary", args=[customer.member_id, contact.pk]),
        {"version": "1"},
        follow=True,
    )
    assert "changed by csr" in response.content.decode()
    assert _fresh(customer).phone == "+639171234567"


def test_pages_refuse_roles_without_edit(make_customer, csr, sales, web_for):
    customer = make_customer()
    contact = contact_add(actor=csr, customer=customer, kind="phone", value="0918 555 1234")
    client = web_for(sales)
    args = [customer.member_id, contact.pk]
    assert client.get(reverse("customers:contact_add", args=args[:1])).status_code == 403
    assert client.post(reverse("customers:contact_remove", args=args)).status_code == 403
    assert client.post(reverse("customers:contact_make_primary", args=args)).status_code == 403
    assert ContactPoint.objects.count() == 1


def test_contact_form_query_count_does_not_grow(
    make_customer, csr, web_for, django_assert_max_num_queries
):
    customer = make_customer()
    client = web_for(csr)
    url = reverse("customers:contact_add", args=[customer.member_id])
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for i in range(20):
        ContactPoint.objects.create(customer=customer, kind="phone", value=f"+63918555{i:04d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
