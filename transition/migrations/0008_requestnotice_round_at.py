# A notice's round is the request's submission time, else its creation time: never null, so the
# "once per round" constraint holds on SQLite (the demo) as on PostgreSQL.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("transition", "0007_dashboard_failures_index"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="requestnotice",
            name="requestnotice_once",
        ),
        migrations.RemoveField(
            model_name="requestnotice",
            name="submitted_at",
        ),
        migrations.AddField(
            model_name="requestnotice",
            name="round_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="requestnotice",
            constraint=models.UniqueConstraint(
                fields=("request", "status", "round_at"), name="requestnotice_once_per_round"
            ),
        ),
    ]
