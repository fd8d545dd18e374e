"""Refresh participation indicators from event attendance, e.g. nightly from cron:
`manage.py fill_participation` (every city) or `--city hat-yai`. Only open reports change."""
from django.core.management.base import BaseCommand, CommandError

from apps.monitoring.participation import fill_city
from apps.networks.models import City


class Command(BaseCommand):
    help = "Fill participation indicators of the periods so far from event check-ins."

    def add_arguments(self, parser):
        parser.add_argument("--city", help="a city's slug (default: every city)")

    def handle(self, *args, city=None, **options):
        cities = City.objects.order_by("slug")
        if city:
            cities = cities.filter(slug=city)
            if not cities.exists():
                raise CommandError(f"No city with the slug {city!r}.")
        for item in cities.filter(me_indicators__source__in=["participants", "women_share",
                                                              "vulnerable"]).distinct():
            result = fill_city(item)
            self.stdout.write(f"{item.slug}: {result.values} values, "
                              f"{len(result.skipped)} indicator-periods skipped")
