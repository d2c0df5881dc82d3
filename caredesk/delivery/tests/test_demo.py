import pytest
from django.core.management import call_command
from django.utils import timezone

from caredesk.delivery.models import Run, Stop

pytestmark = pytest.mark.django_db


def test_demo_plans_runs_with_crews_and_coordinates():
    call_command("demo", "--customers", "120")
    runs = Run.objects.all()
    assert runs.count() >= 3
    assert all(run.crew.exists() for run in runs)
    assert Run.objects.filter(date__gt=timezone.localdate()).exists()
    stops = Stop.objects.all()
    assert stops.count() >= 6
    assert not stops.filter(latitude__isnull=True).exists()
    today = Run.objects.filter(date=timezone.localdate(), branch__code="MNL").first()
    if timezone.localdate().weekday() != 6:  # no runs on Sundays
        # The demo installer's run of the day, out on the road.
        assert today is not None
        assert today.crew.filter(username="installer").exists()
        assert today.stops.filter(status="delivered").exists()
