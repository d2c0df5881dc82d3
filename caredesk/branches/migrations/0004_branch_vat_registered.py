from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("branches", "0003_branch_profile"),
    ]

    operations = [
        migrations.AddField(
            model_name="branch",
            name="vat_registered",
            field=models.BooleanField(default=True),
        ),
        migrations.AlterField(
            model_name="branch",
            name="tax_id",
            field=models.CharField(blank=True, max_length=40, verbose_name="Tax ID (TIN)"),
        ),
    ]
