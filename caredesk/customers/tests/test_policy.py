"""`customers.policy` decides; the services enforce it and the API and snapshot show it."""

import pytest

from caredesk.customers import policy, services
from caredesk.lib.errors import Conflict, NotAllowed
from caredesk.lib.policy import actions_out


@pytest.mark.parametrize("role", ["csr", "sales", "manager"])
def test_api_actions_are_the_policy_answers(role, request, make_customer, api_for):
    user = request.getfixturevalue(role)
    customer = make_customer()
    body = api_for(user).get(f"/api/v1/customers/{customer.member_id}").json()
    assert body["actions"] == actions_out(policy.actions(user, customer))


def test_closed_account_offers_reopen_not_close(manager, make_customer, web_for):
    customer = make_customer()
    services.customer_close(actor=manager, customer=customer, reason="Moved abroad")
    customer.refresh_from_db()
    assert not policy.close(manager, customer) and policy.reopen(manager, customer)
    html = web_for(manager).get(f"/customers/{customer.member_id}/").content.decode()
    assert "Reopen account…" in html and "Close account…" not in html
    with pytest.raises(Conflict, match="already closed"):
        services.customer_close(actor=manager, customer=customer, reason="Again")


def test_a_fraud_hold_is_reopened_only_by_fraud_stop_staff(manager, staff_factory, make_customer):
    from django.contrib.auth.models import Permission

    closer = staff_factory("closer", "sales")
    closer.user_permissions.add(Permission.objects.get(codename="close_customer"))
    customer = make_customer()
    services.customer_fraud_stop(actor=manager, customer=customer, reason="Card testing")
    customer.refresh_from_db()
    decision = policy.reopen(closer, customer)
    assert not decision and decision.forbidden
    with pytest.raises(NotAllowed):
        services.customer_reopen(actor=closer, customer=customer, reason="Sorted out")


def test_password_reset_is_shown_disabled_with_the_reason(csr, make_customer, web_for):
    customer = make_customer(email="")
    html = web_for(csr).get(f"/customers/{customer.member_id}/").content.decode()
    assert "This customer has no email address to send the link to." in html


def test_fraud_stop_chat_alert_reads_as_words(manager, make_customer):
    from caredesk.comms.models import OutboundMessage

    customer = make_customer()
    services.customer_fraud_stop(actor=manager, customer=customer, reason="Card testing")
    alerts = list(OutboundMessage.objects.filter(kind="chat").values_list("text_body", flat=True))
    text = " ".join(alerts)
    assert "FRAUD-STOP by manager on" in text and "by FRAUD-STOP by" not in text
