from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from transition.apogee_csv import ApogeeFileRefused
from transition.models import MoodleInstance
from transition.selectors import instance_current
from transition.services.cohorts import cohorts_import_apogee


class Command(BaseCommand):
    help = "Create or update cohorts from Apogée's curriculum export (CSV), all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--instance", help="The platform the cohorts belong to; default: the current one."
        )

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]  # type: ignore[assignment]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        if options["instance"]:
            instance = MoodleInstance.objects.filter(name=options["instance"]).first()
        else:
            instance = instance_current()
        if instance is None:
            raise CommandError("No such Moodle platform (or no current platform).")
        try:
            summary = cohorts_import_apogee(instance=instance, data=data)
        except ApogeeFileRefused as refused:
            for line_error in refused.errors:
                self.stderr.write(f"{path}: {line_error}")
            raise CommandError(f"{path} refused: nothing was imported.") from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.created} cohorts created, {summary.updated} updated, "
                f"{summary.unchanged} unchanged."
            )
        )
        for cohort, successor in summary.successors:
            self.stdout.write(f"  next year's cohort of {cohort}: {successor}")
