"""`manage.py backup PATH`: the database and every uploaded file in one .tar.gz (issue 9)."""
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database (every model, engine-independent) and MEDIA_ROOT to PATH."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive to write, e.g. workbench-2025-01-31.tar.gz")
        parser.add_argument("--database", default="default")

    def handle(self, path, database, **options):
        started = time.monotonic()
        try:
            manifest = create_backup(path, using=database)
        except BackupError as e:
            raise CommandError(str(e))
        rows = sum(manifest["rows"].values())
        files = len(manifest["files"]) - 1
        size = Path(path).stat().st_size
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {path}: {rows} rows of {len(manifest['rows'])} models, "
            f"{files} files, {size / 1e6:.1f} MB in {time.monotonic() - started:.1f} s."))
