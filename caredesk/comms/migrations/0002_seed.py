"""Seed the email templates (en, fil) and the activity and result codes."""

from django.db import migrations


def seed(apps, schema_editor):
    from caredesk.comms.seed import seed_missing

    seed_missing(apps)


class Migration(migrations.Migration):
    dependencies = [("comms", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
