"""Retention: closed accounts past the period are listed for a manager's review; nothing is
erased by being listed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from caredesk.customers.models import Customer
from caredesk.privacy.models import Erasure

pytestmark = pytest.mark.django_db


def test_review_lists_only_old_closed_accounts_not_yet_erased(
    make_customer, web_for, manager, settings, django_assert_max_num_queries
):
    settings.CAREDESK_RETENTION_CLOSED_DAYS = 365
    long_ago = timezone.now() - timedelta(days=400)
    old = [make_customer(status="closed", closed_at=long_ago) for _ in range(30)]
    recent = make_customer(status="closed", closed_at=timezone.now() - timedelta(days=30))
    still_open = make_customer()
    erased = make_customer(status="closed", closed_at=long_ago)
    Erasure.objects.create(customer=erased, approved_by=manager, reason="Request")

    client = web_for(manager)
    with django_assert_max_num_queries(10):
        response = client.get("/privacy/retention/")
    html = response.content.decode()
    assert response.status_code == 200
    assert old[0].member_id in html and "Page 1 of 2" in html
    for other in (recent, still_open, erased):
        assert other.member_id not in html
    assert Customer.objects.filter(first_name="Erased customer").count() == 0


def test_csr_cannot_open_the_review(web_for, csr):
    assert web_for(csr).get("/privacy/retention/").status_code == 403
