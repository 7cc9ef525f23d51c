import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moodle_client import MoodleError
from transition.errors import TransitionError
from transition.models import MoodleInstance
from transition.services.sync import instance_sync

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Read categories, courses, teachers, cohorts and cohort links from Moodle."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instance", help="Only this platform (its name); default: all.")

    def handle(self, *args: object, **options: object) -> None:
        instances = MoodleInstance.objects.all()
        if options["instance"]:
            instances = instances.filter(name=options["instance"])
            if not instances.exists():
                raise CommandError(f"No Moodle platform named {options['instance']!r}.")
        if not instances.exists():
            raise CommandError("No Moodle platform is configured; add one in the admin pages.")
        failed = []
        for instance in instances:
            self.stdout.write(f"Syncing {instance.name} ({instance.url})")
            try:
                summary = instance_sync(instance=instance, progress=self._progress)
            except (MoodleError, TransitionError) as error:
                self._end_bar()
                self.stderr.write(self.style.ERROR(f"{instance.name}: {error}"))
                failed.append(instance.name)
                continue
            self._end_bar()
            self.stdout.write(self.style.SUCCESS("\n".join(summary.lines())))
        if failed:
            raise CommandError(f"Sync failed for: {', '.join(failed)}")

    def _progress(self, stage: str, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stdout.write(f"\r  {stage} [{bar}] {done}/{total}", ending="")
        self.stdout.flush()

    def _end_bar(self) -> None:
        self.stdout.write("")
        sys.stdout.flush()
