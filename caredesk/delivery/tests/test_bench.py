import pytest

from caredesk.delivery import bench

pytestmark = pytest.mark.django_db(transaction=True)


def test_bench_plans_runs_and_reports_percentiles():
    lines = []
    options = {
        "customers": 30,
        "orders": 140,
        "runs": 2,
        "stops_per_run": 4,
        "route_stops": 12,
        "samples": 3,
        "seed": 1,
    }
    results = bench.run(options, out=lines.append)
    assert set(results) == {
        "exceptions page (branch)",
        "exceptions API (branch)",
        "day schedule (branch)",
        "route suggestion",
    }
    assert all(p50 <= p95 for p50, p95 in results.values())
    assert "2 runs with 8 stops" in lines[-5]
    assert lines[-1].startswith("route suggestion, 12 stops")
