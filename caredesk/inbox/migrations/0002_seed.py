"""Seed the ticket email templates (en, fil) and the SLA targets admins then adjust."""

from django.db import migrations

SLA_HOURS = {"urgent": 4, "high": 8, "normal": 24, "low": 72}
CAREER_HOURS = {"urgent": 24, "high": 40, "normal": 80, "low": 160}


def seed(apps, schema_editor):
    from caredesk.inbox.emails import seed_missing

    seed_missing(apps)
    SlaTarget = apps.get_model("inbox", "SlaTarget")
    for kind in ("complaint", "service", "career", "issue"):
        table = CAREER_HOURS if kind == "career" else SLA_HOURS
        for priority, hours in table.items():
            SlaTarget.objects.get_or_create(kind=kind, priority=priority, defaults={"hours": hours})


class Migration(migrations.Migration):
    dependencies = [("inbox", "0001_initial"), ("comms", "0002_seed")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
