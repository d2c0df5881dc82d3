"""`caredesk bench search` runs end to end at a tiny size (no timing assertions)."""

import io

import pytest
from django.core.management import call_command

from caredesk.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_search_benchmark_runs_at_a_tiny_size():
    out = io.StringIO()
    call_command(
        "bench",
        "search",
        "--current-database",
        "--customers",
        "300",
        "--sizes",
        "150,300",
        "--iterations",
        "3",
        "--naive-iterations",
        "1",
        stdout=out,
    )
    text = out.getvalue()
    assert Customer.objects.count() == 300
    for label in [
        "instant: name fragment",
        "instant: email fragment",
        "instant: phone, other format",
        "instant: member ID",
        "advanced: last name Anders%",
        "advanced: card last 4 + name",
        "advanced: address %street%",
    ]:
        assert text.count(label) == 3, label  # at each size, then side by side
    assert "latency at 150:" in text and "latency at 300:" in text
    assert "faster than naive" in text


def test_unknown_benchmark_arguments_are_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("bench", "search", "--current-database", "--no-such-option")


def test_search_benchmark_can_build_the_data_set_alone():
    out = io.StringIO()
    call_command(
        "bench", "search", "--current-database", "--customers", "120", "--build-only", stdout=out
    )
    text = out.getvalue()
    assert Customer.objects.count() == 120
    assert "database on disk" in text and "median ms" not in text
