"""`manage.py restore PATH`: load a backup into an empty installation (or --force to wipe).

Everything is checked before anything is written: member paths, the manifest, every sha256, the
migration state and that the target is empty. The database is loaded in one transaction."""
import time

from django.core.management.base import BaseCommand, CommandError

from apps.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (database and uploaded files)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive written by `manage.py backup`.")
        parser.add_argument("--force", action="store_true",
                            help="Wipe the database and MEDIA_ROOT first if they hold data.")
        parser.add_argument("--database", default="default")

    def handle(self, path, force, database, **options):
        started = time.monotonic()
        try:
            summary = restore_backup(path, force=force, using=database)
        except BackupError as e:
            raise CommandError(str(e))
        self.stdout.write(self.style.SUCCESS(
            f"Restored {path} (made {summary['created_at']} on {summary['engine']}): "
            f"{summary['rows']} rows of {summary['models']} models and {summary['files']} "
            f"files, checked against the manifest, in {time.monotonic() - started:.1f} s."))
