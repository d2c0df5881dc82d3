import pytest

from caredesk.orders import bench

pytestmark = pytest.mark.django_db(transaction=True)


def test_bench_generates_and_reports_percentiles():
    lines = []
    results = bench.run({"customers": 30, "orders": 90, "samples": 5}, out=lines.append)
    assert set(results) == {
        "order page",
        "pending grid (mine)",
        "pending grid (all agents)",
        "amendment",
    }
    assert all(p50 <= p95 for p50, p95 in results.values())
    assert "90 bench orders" in lines[0]
    assert any(line.startswith("order page") and "p95" in line for line in lines)
    again = []
    bench.run({"customers": 30, "orders": 90, "samples": 2}, out=again.append)  # idempotent
    assert "90 bench orders" in again[0]


def test_caredesk_bench_orders_runs_through_the_dispatcher(capsys):
    from django.core.management import call_command

    call_command(
        "bench",
        "orders",
        "--current-database",
        "--customers",
        "20",
        "--orders",
        "40",
        "--samples",
        "2",
    )
    out = capsys.readouterr().out
    assert "order page" in out and "p95" in out
