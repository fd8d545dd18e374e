"""`manage.py seed_demo`: the ACCCRN Thailand demo network, mid-programme.

Every row is found by a natural key before it is created (plan code + version, slugs,
organisation name + city, person name + city, usernames), and progress is only recorded on
activities with no history yet, so running the command again changes nothing. Everything
happens in one transaction: a failure leaves the database as it was.
"""
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation

from apps.accounts.models import NETWORK_ROLES, RoleAssignment
from apps.core.dates import add_months
from apps.demo import network_data, people_data, plan_data, progress_data
from apps.assessments.demo import seed_assessments
from apps.baselines.demo import seed_baselines
from apps.climate.demo import seed_climate
from apps.dialogues.demo import seed_dialogues
from apps.events.demo import seed_events
from apps.forum.demo import seed_forum
from apps.networks.models import City, Network
from apps.people.models import Membership, Organisation, Person, WorkingGroup
from apps.plans.models import PlanActivity, PlanTemplate
from apps.progress.models import ActivityChange, CityActivity, Evidence, Status
from apps.evaluations.demo import seed_evaluations
from apps.monitoring.demo import seed_monitoring
from apps.pilots.demo import seed_pilots
from apps.practices.demo import seed_practices
from apps.proposals.demo import seed_proposals
from apps.strategies.demo import seed_strategies
from apps.studies.demo import seed_studies

# The demo is "mid-programme": the plan starts this many months before the current month.
MONTHS_INTO_PLAN = 5


class Command(BaseCommand):
    help = "Load the ACCCRN Thailand demo network (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true",
            help="Do nothing if a network already exists (used by `make run`).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Network.objects.exists():
            self.stdout.write("A network exists already; demo data not loaded.")
            return
        with transaction.atomic():
            Seeder(today=timezone.localdate()).run()
        self.summary()

    def summary(self):
        User = get_user_model()
        models = [PlanTemplate, PlanActivity, Network, City, Organisation, Person, WorkingGroup,
                  Membership, User, RoleAssignment, CityActivity, ActivityChange, Evidence]
        with translation.override("en"):  # one language in the console, whatever the locale
            counts = ", ".join(f"{m._meta.verbose_name_plural}: {m.objects.count()}"
                               for m in models)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. {counts}"))
        self.stdout.write(f"Logins (password {people_data.PASSWORD}):")
        for username, (_first, _last, role, scope) in people_data.USERS.items():
            self.stdout.write(f"  {username:<10} {role} ({scope})")
        self.stdout.write(f"  {people_data.ADMIN[0]:<10} superuser")


class Seeder:
    def __init__(self, today):
        self.today = today
        self.now = timezone.now()

    def run(self):
        self.plan = self.load_plan()
        self.network = self.load_network()
        if self.plan.owner_id is None:  # TEI's national coordinator maintains the plan
            self.plan.owner = self.network
            self.plan.save(update_fields=["owner"])
        # Reuse the start of an earlier load: the cities' planned dates were computed from it,
        # and adoption never moves them.
        self.start = self.network.plan_start or add_months(
            self.today.replace(day=1), -MONTHS_INTO_PLAN
        )
        # A network someone has moved on to a newer plan version keeps it.
        if self.network.plan_id in (None, self.plan.pk):
            CityActivity.objects.adopt(self.network, self.plan, start=self.start)
        self.load_people()
        self.load_users()
        self.load_progress()
        # Meetings first, so the dialogues can link to their SLD events.
        seed_events(self.network)
        seed_dialogues(self.network)
        # The assessment builds on SLD 1; climate analyses become its evidence; the sector
        # studies follow SLD 2.
        seed_baselines(self.network)
        seed_climate(self.network)
        seed_assessments(self.network)
        seed_studies(self.network)
        # Calls for pilot projects answer the assessed risks.
        seed_proposals(self.network)
        # The funder approved pilots; they are run, monitored, evaluated and shared.
        seed_pilots(self.network)
        seed_monitoring(self.network)
        seed_evaluations(self.network)
        seed_practices(self.network)
        # The strategies build on all of it; the national forum brings the cities together.
        seed_strategies(self.network)
        seed_forum(self.network)

    # -- plan ---------------------------------------------------------------------
    def load_plan(self):
        key = {"code": plan_data.PLAN["code"], "version": plan_data.PLAN["version"]}
        plan = PlanTemplate.objects.filter(**key).first()
        if plan is not None:
            return plan  # a published plan is frozen; a newer text belongs in a new version
        plan = PlanTemplate.objects.create(**plan_data.PLAN)  # a draft, so it can be filled
        activities = {}
        for row in plan_data.ACTIVITIES:
            values = dict(row, leads=[str(lead) for lead in row["leads"]])
            for field in ("description_th", "description_en", "outputs_th", "outputs_en"):
                values[field] = "\n".join(row[field])
            activity = PlanActivity(plan=plan, **values)
            activity.full_clean()
            activity.save()
            activities[activity.number] = activity
        for number, needs in plan_data.PREREQUISITES.items():
            prerequisites = [activities[n] for n in needs]
            activities[number].check_prerequisites(prerequisites)
            activities[number].prerequisites.set(prerequisites)
        plan.publish()
        return plan

    # -- network, cities, organisations ---------------------------------------------
    def load_network(self):
        self.orgs = {}
        for key, values in network_data.NATIONAL_ORGANISATIONS.items():
            self.orgs[key] = self.save_org(None, values)
        network, _ = Network.objects.update_or_create(
            slug=network_data.NETWORK["slug"],
            defaults={**network_data.NETWORK, "coordinator": self.orgs["tei"]},
        )
        self.cities = {}
        for row, participation in (
            *((r, City.Participation.PROGRAMME) for r in network_data.PROGRAMME_CITIES),
            *((r, City.Participation.PARTNER) for r in network_data.PARTNER_CITIES),
        ):
            self.cities[row["slug"]] = self.save_city(network, row, participation)
        for slug, organisations in network_data.CITY_ORGANISATIONS.items():
            for key, values in organisations.items():
                self.orgs[slug, key] = self.save_org(self.cities[slug], values)
        return network

    def save_city(self, network, row, participation):
        values = {k: v for k, v in row.items() if k not in ("slug", "radius_km")}
        values.update(
            network=network, participation=participation,
            # Through str, so 19.9105 stays 19.9105 and fits the six decimal places.
            latitude=Decimal(str(row["latitude"])), longitude=Decimal(str(row["longitude"])),
            boundary=network_data.boundary(row["latitude"], row["longitude"], row["radius_km"]),
        )
        city = City.objects.filter(slug=row["slug"]).first() or City(slug=row["slug"])
        for name, value in values.items():
            setattr(city, name, value)
        city.full_clean()  # checks the boundary with the same rule as the city form
        city.save()
        WorkingGroup.objects.get_or_create(city=city)
        return city

    def save_org(self, city, values):
        organisation, _ = Organisation.objects.update_or_create(
            name_th=values["name_th"], city=city,
            defaults={k: v for k, v in values.items() if k != "name_th"},
        )
        return organisation

    # -- working groups ---------------------------------------------------------------
    def load_people(self):
        self.people = {}
        for slug, members in people_data.PEOPLE.items():
            city = self.cities[slug]
            group = city.working_group
            for member in members:
                person = self.save_person(city, member)
                self.people[member.name_th] = person
                if not group.memberships.filter(person=person).exists():
                    membership = Membership(group=group, person=person, role=member.role,
                                            start=self.start)
                    if member.left:
                        membership.end = add_months(
                            self.start, people_data.LEFT_AFTER_MONTHS) - dt.timedelta(days=1)
                    membership.full_clean()
                    membership.save()
            first = progress_data.PROGRESS[slug].get(1)
            group.established = self.day(first["end"]) if first else None
            # Udon Thani's group is still short of members, so it stays unpublished.
            group.published = slug in ("chiang-rai", "hat-yai")
            group.save(update_fields=["established", "published"])

    def save_person(self, city, member):
        person = (Person.objects.filter(full_name_th=member.name_th, city=city).first()
                  or Person(full_name_th=member.name_th, city=city))
        person.full_name_en = member.name_en
        person.organisation = self.orgs[city.slug, member.org]
        person.sector = member.sector
        person.position = member.position
        # example.org never delivers mail, so the demo cannot write to a real person.
        person.email = member.name_en.lower().replace(" ", ".") + "@example.org"
        person.phone = member.phone
        person.gender = member.gender
        person.full_clean()
        person.save()
        return person

    # -- users and roles ----------------------------------------------------------------
    def load_users(self):
        User = get_user_model()
        self.users = {}
        for username, (first, last, role, scope) in people_data.USERS.items():
            user = self.save_user(username, first, last)
            network_role = role in {r.value for r in NETWORK_ROLES}
            RoleAssignment.objects.get_or_create(
                user=user, role=role,
                network=self.network if network_role else None,
                city=None if network_role else self.cities[scope],
            )
            self.users[username] = user
        for username, name_th in people_data.LINKED_PERSON.items():
            person = self.people[name_th]
            person.user = self.users[username]
            person.save(update_fields=["user"])
        username, first, last = people_data.ADMIN
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username, f"{username}@example.org",
                                          people_data.PASSWORD, first_name=first, last_name=last)

    def save_user(self, username, first, last):
        user, created = get_user_model().objects.update_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last,
                      "email": f"{username}@example.org", "is_staff": False},
        )
        # Only a new account gets the demo password: hashing is slow, and a password someone
        # changed on purpose stays changed.
        if created:
            user.set_password(people_data.PASSWORD)
            user.save(update_fields=["password"])
        return user

    # -- progress -------------------------------------------------------------------------
    def load_progress(self):
        for slug, city in self.cities.items():
            if city.is_programme:
                specs = progress_data.PROGRESS.get(slug, {})
                by = self.users[progress_data.RECORDED_BY[slug]]
            else:
                specs = progress_data.PARTNER_PROGRESS
                by = self.users[progress_data.PARTNER_RECORDED_BY]
            instances = {ca.number: ca for ca in CityActivity.objects.filter(city=city)
                         .select_related("plan_activity", "city")}
            for number, spec in specs.items():
                if number in instances:
                    self.record(instances[number], spec, by)

    def record(self, activity, spec, by):
        # Transitions are not repeatable: an activity with history was seeded before (or
        # touched by a user since), so it is left as it is.
        if activity.status == Status.NOT_STARTED and not activity.changes.exists():
            self.transition(activity, spec, by)
        orgs = [self.orgs[activity.city.slug, key] for key in spec["orgs"]]
        activity.organisations.add(*orgs)
        for item in spec["evidence"]:
            if activity.evidence.filter(title=item["title"]).exists():
                continue
            when = self.moment(self.day(spec.get("end") or spec["start"]), 17)
            evidence = Evidence(city_activity=activity, kind=item["kind"], title=item["title"],
                                text=item.get("text", ""), url=item.get("url", ""), added_at=when)
            evidence.full_clean(exclude=["added_by"])
            evidence.record(by)
            self.backdate(activity, when)

    def transition(self, activity, spec, by):
        began = self.day(spec["start"])
        if spec["status"] == Status.SKIPPED:
            activity.skip(by, spec["reason"])
            self.backdate(activity, self.moment(began, 10))
            return
        activity.start(by, on=began)
        self.backdate(activity, self.moment(began, 9))
        if spec["status"] == Status.DONE:
            ended = max(self.day(spec["end"]), began)
            activity.complete(by, on=ended, started=began)
            self.backdate(activity, self.moment(ended, 16))
            if spec["published"]:
                activity.set_published(by, True)
                self.backdate(activity, self.moment(ended, 16, 30))

    # -- dates ----------------------------------------------------------------------------
    def day(self, month_day):
        """(month, day) after the plan start as a date; never later than today."""
        month, day = month_day
        return min(add_months(self.start, month) + dt.timedelta(days=day - 1), self.today)

    def moment(self, day, hour, minute=0):
        value = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        return min(value, self.now)

    @staticmethod
    def backdate(activity, when):
        """Date the newest history row to when it happened in the story, not to load time."""
        change = activity.changes.order_by("-id").first()
        # A queryset update: the log's save() refuses changes (apps.core.audit.AppendOnly).
        type(change).objects.filter(pk=change.pk).update(at=when)
