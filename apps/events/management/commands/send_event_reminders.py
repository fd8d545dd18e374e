"""`manage.py send_event_reminders`: remind registered people of events starting soon.

Run it from cron (every hour is plenty); each registration is reminded once, however often it
runs, and again only if the event moves.
"""
from django.core.management.base import BaseCommand, CommandError

from apps.events.services import send_reminders


class Command(BaseCommand):
    help = "Email a reminder to everyone with a place at an event starting within N hours."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=48,
                            help="Remind of events starting within this many hours (48).")

    def handle(self, *args, hours, **options):
        if hours <= 0:
            raise CommandError("--hours must be positive.")
        sent = send_reminders(hours=hours)
        self.stdout.write(f"Reminders sent: {sent}")
