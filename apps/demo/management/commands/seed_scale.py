"""`manage.py seed_scale --cities N [--network-slug scale]`: a large synthetic network for
load tests (issue 8). What each city holds, and how it is inserted, is in apps/demo/scale.py.

Safe to run twice: cities are found by slug (`<network>-00001`...), so a second run with the
same N adds nothing, and a run with a larger N tops the network up to N cities. It never
removes cities (a smaller N leaves the extra ones as they are).
"""
from django.core.management.base import BaseCommand, CommandError

from apps.demo.scale import CHUNK, ScaleSeeder


class Command(BaseCommand):
    help = "Build (or top up) a large synthetic network of N cities with bulk inserts."

    def add_arguments(self, parser):
        parser.add_argument("--cities", type=int, required=True, help="How many cities (N).")
        parser.add_argument("--network-slug", default="scale",
                            help="Slug of the network to fill (default: scale).")
        parser.add_argument("--chunk", type=int, default=CHUNK,
                            help=f"Cities per transaction (default {CHUNK}).")

    def handle(self, *args, cities, network_slug, chunk, **options):
        if cities < 1 or chunk < 1:
            raise CommandError("--cities and --chunk must be at least 1.")
        seeder = ScaleSeeder(network_slug, out=self.stdout.write)
        rows, seconds = seeder.run(cities, chunk=chunk)
        for label, count in sorted(seeder.inserted.items()):
            self.stdout.write(f"  {label:<32} {count:>9}")
        self.stdout.write(self.style.SUCCESS(
            f"{rows} rows inserted in {seconds:.1f} s ({rows / max(seconds, 1e-9):.0f} rows/s); "
            f"network {network_slug} has {cities} cities or more."))
