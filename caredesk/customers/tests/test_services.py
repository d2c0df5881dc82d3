"""Customer services: each rule, each bad input (nothing written), and the audit events."""

import pytest
from django.db import transaction

from caredesk.audit.models import Event
from caredesk.comms.models import OutboundMessage
from caredesk.comms.outbox import outbox_sweep
from caredesk.customers.models import Address, Card, Customer, CustomerGroup
from caredesk.customers.services import (
    customer_close,
    customer_create,
    customer_password_reset_send,
    customer_reopen,
    customer_update,
)
from caredesk.customers.tests.conftest import customer_data
from caredesk.lib.errors import Conflict, Invalid, NotAllowed, StaleVersion

pytestmark = pytest.mark.django_db


def _nothing_written():
    assert Customer.objects.count() == 0
    assert Card.objects.count() == 0
    assert Address.objects.count() == 0
    assert not Event.objects.filter(action="customer.created").exists()


def test_create_normalises_and_stores_everything(branches, csr):
    customer = customer_create(actor=csr, data=customer_data(email="Maria.Santos@Example.PH"))
    assert customer.member_id == "M0000001"
    assert customer.phone == "+639171234567"
    assert customer.email == "maria.santos@example.ph"
    assert customer.group.name == "Santos household"
    address = customer.addresses.get()
    assert (address.branch.code, address.zone.code, address.is_default) == ("MNL", "MNL-N", True)
    assert customer.branch.code == "MNL"
    card = customer.cards.get()
    assert (card.brand, card.last4, card.exp_month, card.exp_year) == ("visa", "4242", 3, 2029)
    event = Event.objects.get(action="customer.created")
    assert event.target_id == str(customer.pk)
    assert event.after["member_id"] == "M0000001"
    assert event.actor == csr


@pytest.mark.parametrize(
    "phone",
    ["0917 123 4567", "+63 917 123 4567", "639171234567", "0917-123-4567", "+63-917-1234567"],
)
def test_philippine_phone_formats_are_one_number(branches, csr, phone):
    customer = customer_create(actor=csr, data=customer_data(phone=phone))
    assert customer.phone == "+639171234567"


def test_group_is_reused_by_name(make_customer):
    first = make_customer()
    second = make_customer(first_name="Jose", email="jose@example.ph")
    assert first.group_id == second.group_id
    assert CustomerGroup.objects.count() == 1
    assert first.member_id != second.member_id


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "0917 123"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"locale": "de"}, "locale"),
        ({"account_type": "alien"}, "account_type"),
        ({"account_type": "business", "company": ""}, "company"),
        ({"account_type": "reseller", "company": ""}, "company"),
        ({"account_type": "call_shop", "company": ""}, "company"),
        ({"first_name": "", "last_name": ""}, "last_name"),
        ({"address": {"line1": "1 Rizal Ave", "branch": "XYZ"}}, "address.branch"),
        ({"address": {"line1": "1 Rizal Ave", "branch": "CEB", "zone": "MNL-N"}}, "address.zone"),
        ({"address": {"line1": "", "branch": "MNL"}}, "address.line1"),
        (
            {"cards": [{"brand": "visa", "last4": "42", "exp_month": 3, "exp_year": 2029}]},
            "cards.0.last4",
        ),
        (
            {"cards": [{"brand": "visa", "last4": "4242", "exp_month": 13, "exp_year": 2029}]},
            "cards.0.exp_month",
        ),
        (
            {"cards": [{"brand": "diners", "last4": "4242", "exp_month": 1, "exp_year": 2029}]},
            "cards.0.brand",
        ),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_is_written(
    branches, csr, overrides, field
):
    with pytest.raises(Invalid) as exc:
        customer_create(actor=csr, data=customer_data(**overrides))
    assert exc.value.field == field
    _nothing_written()


@pytest.mark.parametrize(
    "card",
    [
        {"brand": "visa", "last4": "4111111111111111", "exp_month": 1, "exp_year": 2029},
        {
            "brand": "visa",
            "last4": "4242",
            "exp_month": 1,
            "exp_year": 2029,
            "holder_last_name": "4111 1111 1111 1111",
        },
        {
            "brand": "visa",
            "last4": "4242",
            "exp_month": 1,
            "exp_year": 2029,
            "number": "4111111111111111",
        },
        {"brand": "visa", "last4": "42424", "exp_month": 1, "exp_year": 2029},
    ],
)
def test_a_full_card_number_in_any_card_field_is_refused_and_never_stored(branches, csr, card):
    with pytest.raises(Invalid) as exc:
        customer_create(actor=csr, data=customer_data(cards=[card]))
    assert exc.value.code == "card_number"
    assert "4111" not in exc.value.detail
    _nothing_written()
    assert not any("4111111111111111" in str(e.after) for e in Event.objects.all())


def test_a_card_number_in_a_name_field_is_refused(branches, csr):
    with pytest.raises(Invalid) as exc:
        customer_create(actor=csr, data=customer_data(nickname="4111 1111 1111 1111"))
    assert exc.value.field == "nickname"
    _nothing_written()


def test_business_with_company_is_accepted(branches, csr):
    customer = customer_create(
        actor=csr,
        data=customer_data(account_type="business", company="Sari-Sari Trading", first_name=""),
    )
    assert customer.display_name == "Sari-Sari Trading"


def test_roles_without_create_customer_are_refused(branches, finance):
    with pytest.raises(NotAllowed):
        customer_create(actor=finance, data=customer_data())
    _nothing_written()


def test_update_records_only_changed_fields_and_bumps_version(make_customer, csr):
    customer = make_customer()
    updated = customer_update(
        actor=csr,
        customer=customer,
        changes={"nickname": "Maya", "phone": "+63 917 123 4567", "marketing_sms": True},
        expected_version=1,
    )
    assert updated.version == 2
    assert updated.nickname == "Maya"
    event = Event.objects.get(action="customer.updated")
    assert event.before == {"nickname": "Mia", "marketing_sms": False}
    assert event.after == {"nickname": "Maya", "marketing_sms": True}


def test_update_without_a_change_writes_nothing(make_customer, csr):
    customer = make_customer()
    same = customer_update(actor=csr, customer=customer, changes={"phone": "639171234567"})
    assert same.version == 1
    assert not Event.objects.filter(action="customer.updated").exists()


def test_update_address_and_group_are_audited(make_customer, csr):
    customer = make_customer()
    customer_update(
        actor=csr,
        customer=customer,
        changes={
            "address": {"line1": "5 Osmeña Blvd", "city": "Cebu City", "branch": "CEB"},
            "group": "Cebu office",
        },
    )
    customer.refresh_from_db()
    assert customer.branch.code == "CEB"
    assert customer.addresses.get().city == "Cebu City"
    event = Event.objects.get(action="customer.updated")
    assert "12 Mabini St" in event.before["address"]
    assert "5 Osmeña Blvd" in event.after["address"]
    assert event.after["group"] == "Cebu office"


def test_stale_version_is_refused_naming_who_changed_it_and_when(make_customer, csr, manager):
    customer = make_customer()
    customer_update(
        actor=manager, customer=customer, changes={"nickname": "Ria"}, expected_version=1
    )
    with pytest.raises(StaleVersion) as exc:
        customer_update(
            actor=csr, customer=customer, changes={"nickname": "Mimi"}, expected_version=1
        )
    assert "changed by manager at" in exc.value.detail
    assert "reload" in exc.value.detail
    customer.refresh_from_db()
    assert customer.nickname == "Ria"


def test_update_refuses_bad_values_and_unknown_fields(make_customer, csr):
    customer = make_customer()
    with pytest.raises(Invalid) as exc:
        customer_update(actor=csr, customer=customer, changes={"phone": "555"})
    assert exc.value.field == "phone"
    with pytest.raises(Invalid):
        customer_update(actor=csr, customer=customer, changes={"member_id": "M1"})
    with pytest.raises(Invalid) as exc:
        customer_update(actor=csr, customer=customer, changes={"account_type": "business"})
    assert exc.value.field == "company"
    customer.refresh_from_db()
    assert customer.version == 1


def test_close_and_reopen_need_a_reason_and_write_account_history(make_customer, csr):
    customer = make_customer()
    with pytest.raises(Invalid):
        customer_close(actor=csr, customer=customer, reason="  ")
    closed = customer_close(actor=csr, customer=customer, reason="Moved abroad")
    assert (closed.status, closed.closed_reason) == ("closed", "Moved abroad")
    with pytest.raises(Conflict):
        customer_close(actor=csr, customer=customer, reason="again")
    reopened = customer_reopen(actor=csr, customer=customer, reason="Came back")
    assert reopened.status == "open" and reopened.closed_reason == ""
    # Read through the model: a customer's event reasons are stored encrypted (audit.shredding).
    actions = [
        (e.action, e.reason)
        for e in Event.objects.filter(target_id=str(customer.pk)).order_by("seq")
    ]
    assert ("customer.closed", "Moved abroad") in actions
    assert ("customer.reopened", "Came back") in actions


def test_sales_may_not_close_accounts(make_customer, sales):
    customer = make_customer()
    with pytest.raises(NotAllowed):
        customer_close(actor=sales, customer=customer, reason="x")


def test_password_reset_queues_a_confidential_email_and_audits_without_the_link(
    make_customer, csr, settings, tmp_path
):
    settings.CAREDESK_OUTBOX_DIR = tmp_path
    customer = make_customer()
    customer_password_reset_send(actor=csr, customer=customer, base_url="https://care.example/")
    message = OutboundMessage.objects.get(template_code="password_reset")
    assert message.to == ["maria.santos@example.ph"]
    assert message.is_confidential
    assert "https://care.example/account/reset/" in message.text_body
    token_part = message.text_body.split("/account/reset/")[1].split("/")[0]
    event = Event.objects.get(action="customer.password_reset_sent")
    assert token_part not in str(event.data) and token_part not in event.reason

    assert outbox_sweep() == 1
    delivered = (tmp_path / "mail").glob("*.eml")
    assert token_part in next(delivered).read_text()
    message.refresh_from_db()
    assert message.status == "sent"
    assert message.text_body == "" and message.body_removed_at is not None


def test_password_reset_is_only_queued_when_its_transaction_commits(make_customer, csr):
    customer = make_customer()
    with pytest.raises(RuntimeError), transaction.atomic():
        customer_password_reset_send(actor=csr, customer=customer)
        raise RuntimeError("the caller's transaction fails")
    assert not OutboundMessage.objects.exists()


def test_password_reset_in_filipino_for_fil_customers(make_customer, csr):
    customer = make_customer(locale="fil")
    customer_password_reset_send(actor=csr, customer=customer)
    message = OutboundMessage.objects.get(template_code="password_reset")
    assert message.locale == "fil"
    assert message.subject.startswith("I-reset ang inyong password")


def test_password_reset_refused_without_email_or_when_closed(make_customer, csr):
    no_email = make_customer(email="")
    with pytest.raises(Invalid):
        customer_password_reset_send(actor=csr, customer=no_email)
    closed = make_customer(email="x@example.ph", phone="0918 765 4321")
    customer_close(actor=csr, customer=closed, reason="Fraud suspicion")
    with pytest.raises(Conflict):
        customer_password_reset_send(actor=csr, customer=closed)
    assert not Event.objects.filter(action="customer.password_reset_sent").exists()


def test_a_card_number_in_the_email_or_phone_is_refused_with_the_card_message(branches, csr):
    for field in ("email", "phone"):
        with pytest.raises(Invalid) as exc:
            customer_create(actor=csr, data=customer_data(**{field: "4111 1111 1111 1111"}))
        assert (exc.value.field, exc.value.code) == (field, "card_number")
    _nothing_written()
