"""Prioritisation by vote: the working group ranks a dialogue's issues, needs or risks.

Methods (the vote page explains them to voters in the same words):
- Borda count: each voter ranks the options 1, 2, 3...; with n options, first place earns n-1
  points, second n-2, ..., last 0. A voter may rank only some of them: unranked options earn 0
  from that ballot. Ranks run 1..k without gaps or repeats.
- Dot voting: each voter shares out at most K dots (K set when the vote opens), several on one
  option if they like; an option earns its dots.

Ties: options are ordered by points; equal points are separated by broader support: the
number of voters who ranked the option first (Borda) or gave it at least one dot (dots).
Options still equal share a place, shown as "2=" (and the next place is skipped: 1, 2=, 2=, 4).

Who votes: one ballot per member of the city's core working group on the vote's date
(`held_on`): a Person with an active Membership then. A member with an account casts and
changes their own ballot until the organiser closes the vote; the organiser (the city's
editors) may also enter a member's paper ballot, since SLDs often rank on flip charts. After
closing no ballot is accepted. Ballots are private to the organisers; a voter sees their own.
"""
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import scope_of
from apps.core import dates
from apps.core.i18n import Localized

# A Borda ballot is a list of select boxes: beyond a few dozen options nobody can rank them.
MAX_OPTIONS = 30
MAX_DOTS = 100


class Method(models.TextChoices):
    BORDA = "borda", _("Borda count (rank the options)")
    DOTS = "dots", _("Dot voting (share out dots)")


class VoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Votes of the dialogues the user may read (the dialogue's publication decides)."""
        return self.filter(Q(dialogue__published=True)
                           | scope_of(user).city_read_q("dialogue__city_activity__city"))

    def with_turnout(self):
        return self.annotate(ballot_count=Count("ballots"))

    @transaction.atomic
    def open(self, dialogue, by, *, title_th, sources, method=Method.BORDA, dots=None,
             title_en="", held_on=None, show_live=False):
        """Open a vote on `sources` (the dialogue's items or risks), each becoming an option.
        The options' texts are copied: removing a record later must not change a ballot."""
        from apps.dialogues.models import DialogueChange, Risk

        vote = Vote(
            dialogue=dialogue, title_th=title_th, title_en=title_en, method=method,
            dots=dots if method == Method.DOTS else None, show_live=show_live, opened_by=by,
            held_on=held_on or dialogue.date or timezone.localdate(),
        )
        vote.full_clean()
        sources = list(sources)
        if len(sources) < 2:
            raise ValidationError({"options": gettext("Put at least two options to the vote.")})
        if len(sources) > MAX_OPTIONS:
            raise ValidationError({"options": gettext("A vote can have at most %(max)s options.")
                                   % {"max": MAX_OPTIONS}})
        if any(source.dialogue_id != dialogue.pk for source in sources):
            raise ValidationError({"options": gettext("Options must be records of this dialogue.")})
        vote.save()
        options = []
        for number, source in enumerate(sources, 1):
            if isinstance(source, Risk):
                options.append(VoteOption(
                    vote=vote, number=number, risk=source, hazard=source.hazard,
                    label_th=source.description_th, label_en=source.description_en))
            else:
                options.append(VoteOption(vote=vote, number=number, item=source,
                                          label_th=source.text_th, label_en=source.text_en))
        VoteOption.objects.bulk_create(options)
        dialogue.log(by, DialogueChange.Action.VOTE_OPENED, vote.title)
        return vote


class Vote(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE,
                                 related_name="votes", verbose_name=_("dialogue"))
    title_th = models.CharField(_("question (Thai)"), max_length=300)
    title_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices,
                              default=Method.BORDA)
    dots = models.PositiveSmallIntegerField(
        _("dots per voter"), null=True, blank=True,
        help_text=_("Dot voting only: how many dots each voter may share out."),
    )
    # Who may vote is decided on this day: members of the working group then.
    held_on = models.DateField(_("vote date"))
    show_live = models.BooleanField(
        _("show results while open"), default=False,
        help_text=_("Let the city team see the running totals before the vote closes."),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["opened_at", "id"]
        constraints = [
            models.CheckConstraint(
                # isnull=False: a CHECK passes on NULL, so "dots >= 1" alone lets no K through.
                condition=Q(method="dots", dots__isnull=False, dots__gte=1, dots__lte=MAX_DOTS)
                | Q(method="borda", dots__isnull=True),
                name="vote_dots_only_for_dot_voting",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="vote_closed_has_time",
            ),
            models.CheckConstraint(condition=~Q(title_th=""), name="vote_title_th_required"),
        ]

    def __str__(self):
        return self.title

    title = Localized("title")

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_borda(self):
        return self.method == Method.BORDA

    def clean(self):
        if self.method == Method.DOTS and not (self.dots and 1 <= self.dots <= MAX_DOTS):
            raise ValidationError({"dots": _("Give each voter between 1 and %(max)s dots.")
                                   % {"max": MAX_DOTS}})
        if self.method == Method.BORDA:
            self.dots = None

    # -- who votes ------------------------------------------------------------------------
    def memberships(self):
        """Active memberships of the city's working group on the vote date: the electorate."""
        from apps.people.models import Membership

        return (Membership.objects.active(self.held_on)
                .filter(group__city_id=self.dialogue.city_activity.city_id)
                .select_related("person__organisation").order_by("person__full_name_th"))

    def is_member(self, person):
        return person is not None and self.memberships().filter(person=person).exists()

    # -- ballots --------------------------------------------------------------------------
    def cast(self, person, by, values):
        """Record `person`'s ballot, replacing any earlier one. `values` maps option numbers
        to ranks (Borda) or dots. A closed vote, a non-member or an invalid ballot raises a
        ValidationError before anything is written."""
        with transaction.atomic():
            # Lock the vote: a close racing this ballot either lands first (and the ballot is
            # refused) or waits until the ballot is in.
            current = Vote.objects.select_for_update().get(pk=self.pk)
            if current.status != self.Status.OPEN:
                raise ValidationError(
                    gettext("This vote is closed: ballots are no longer accepted."), code="closed")
            if not self.is_member(person):
                raise ValidationError(
                    gettext("Only members of the core working group on %(date)s can vote.")
                    % {"date": dates.format_date(self.held_on)}, code="not_member")
            entries = self.read_ballot(values)
            ballot, _created = Ballot.objects.update_or_create(
                vote=self, person=person, defaults={"recorded_by": by if by and by.pk else None})
            ballot.entries.all().delete()
            BallotEntry.objects.bulk_create(
                BallotEntry(ballot=ballot, option=option, rank=rank, points=points)
                for option, rank, points in entries
            )
        return ballot

    def read_ballot(self, values):
        """Check a ballot; return [(option, rank, points)] or raise a ValidationError."""
        options = {option.number: option for option in self.options.all()}
        chosen = {}
        for key, raw in values.items():
            try:
                number = int(key)
            except (TypeError, ValueError):
                number = None
            if number not in options:
                raise ValidationError(gettext("Unknown option: %(option)s.") % {"option": key},
                                      code="unknown_option")
            if raw is None or raw == "":
                continue  # left blank: not ranked, no dots
            try:
                value = int(raw)
                if value != float(raw):
                    raise ValueError
            except (TypeError, ValueError):
                raise ValidationError(gettext("%(value)s is not a whole number.") % {"value": raw},
                                      code="not_integer") from None
            chosen[number] = value
        if self.is_borda:
            return self._read_ranks(options, chosen)
        return self._read_dots(options, chosen)

    def _read_ranks(self, options, ranks):
        n = len(options)
        if not ranks:
            raise ValidationError(gettext("Rank at least one option."), code="empty")
        if any(not 1 <= rank <= n for rank in ranks.values()):
            raise ValidationError(gettext("Ranks go from 1 to %(n)s.") % {"n": n},
                                  code="rank_range")
        seen = sorted(ranks.values())
        duplicates = sorted({rank for rank in seen if seen.count(rank) > 1})
        if duplicates:
            raise ValidationError(
                gettext("Two options have rank %(rank)s; give each option its own rank.")
                % {"rank": duplicates[0]}, code="duplicate_rank")
        missing = [rank for rank in range(1, len(seen) + 1) if rank not in seen]
        if missing:
            raise ValidationError(
                gettext("Ranks run 1, 2, 3… without gaps: rank %(rank)s is missing.")
                % {"rank": missing[0]}, code="rank_gap")
        return [(options[number], rank, n - rank) for number, rank in sorted(ranks.items())]

    def _read_dots(self, options, dots):
        if any(count < 0 for count in dots.values()):
            raise ValidationError(gettext("Dots cannot be negative."), code="negative")
        total = sum(dots.values())
        if total > self.dots:
            raise ValidationError(
                gettext("You gave %(given)s dots; each voter has at most %(max)s.")
                % {"given": total, "max": self.dots}, code="too_many_dots")
        if total == 0:
            raise ValidationError(gettext("Give at least one dot."), code="empty")
        return [(options[number], None, count) for number, count in sorted(dots.items())
                if count > 0]

    def close(self, by):
        from apps.dialogues.models import DialogueChange

        with transaction.atomic():
            current = Vote.objects.select_for_update().get(pk=self.pk)
            if current.status == self.Status.CLOSED:
                raise ValidationError(gettext("This vote is already closed."))
            self.status, self.closed_at, self.closed_by = (
                self.Status.CLOSED, timezone.now(), by if by and by.pk else None)
            self.save(update_fields=["status", "closed_at", "closed_by"])
            self.dialogue.log(by, DialogueChange.Action.VOTE_CLOSED, self.title)

    # -- results --------------------------------------------------------------------------
    def results(self):
        return tally([self])[self.pk]

    def results_visible(self, user, city):
        """Organisers always; once closed, everyone who can read the dialogue; while open,
        the city team only when the organiser chose to show running totals."""
        scope = scope_of(user)
        if scope.can_edit_city(city) or self.status == self.Status.CLOSED:
            return True
        return self.show_live and scope.can_read_city(city)


class VoteOption(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    # Its number on the ballot (1..n): what a paper ballot and the API refer to.
    number = models.PositiveSmallIntegerField(_("number"))
    label_th = models.TextField(_("option (Thai)"))
    label_en = models.TextField(_("option (English)"), blank=True)
    hazard = models.CharField(_("hazard"), max_length=20, blank=True)  # options from risks
    # Where the option came from; kept when it can be, forgotten when the record is removed.
    item = models.ForeignKey("dialogues.DialogueItem", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="vote_options")
    risk = models.ForeignKey("dialogues.Risk", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="vote_options")

    class Meta:
        ordering = ["vote", "number"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "number"], name="vote_option_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="vote_option_number_positive"),
        ]

    def __str__(self):
        return self.label

    label = Localized("label")

    def get_hazard_display(self):
        from apps.dialogues.models import Hazard

        return Hazard(self.hazard).label if self.hazard in Hazard.values else ""


class Ballot(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="ballots", verbose_name=_("voter"))
    # The voter themself, or the organiser who entered a paper ballot.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    cast_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["vote", "person__full_name_th"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "person"], name="ballot_one_per_member"),
        ]

    def __str__(self):
        return f"{self.vote} · {self.person}"

    @property
    def on_paper(self):
        """Entered by someone else than the voter (the organiser, from a paper ballot)."""
        return self.recorded_by_id is None or self.recorded_by_id != self.person.user_id


class BallotEntry(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="entries")
    option = models.ForeignKey(VoteOption, on_delete=models.CASCADE, related_name="entries")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)  # Borda only
    # Borda: n - rank; dots: the dots given. Stored because n is fixed once the vote opens
    # (options never change) and it lets one SUM give every vote's result, whatever its method.
    points = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ballot", "rank", "option__number"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="ballot_entry_option"),
            # NULL ranks (dot voting) never collide: NULLs are distinct in unique constraints.
            models.UniqueConstraint(fields=["ballot", "rank"], name="ballot_entry_rank"),
            models.CheckConstraint(condition=Q(rank__isnull=True) | Q(rank__gte=1),
                                   name="ballot_entry_rank_positive"),
        ]


@dataclass
class Result:
    option: VoteOption
    points: int
    firsts: int  # voters who ranked it first (Borda)
    supporters: int  # voters who ranked it (Borda) or gave it dots
    place: int = 0
    tied: bool = False

    @property
    def place_label(self):
        return f"{self.place}=" if self.tied else str(self.place)


def tally(votes):
    """{vote id: [Result, best first]} for several votes from one aggregate query."""
    votes = list(votes)
    rows = (
        VoteOption.objects.filter(vote__in=[vote.pk for vote in votes])
        .annotate(
            total=Coalesce(Sum("entries__points"), 0),
            first_count=Count("entries", filter=Q(entries__rank=1)),
            support_count=Count("entries"),
        )
        .order_by("vote", "number")
    )
    grouped = {vote.pk: [] for vote in votes}
    for row in rows:
        grouped[row.vote_id].append(Result(option=row, points=row.total, firsts=row.first_count,
                                           supporters=row.support_count))
    methods = {vote.pk: vote.method for vote in votes}
    return {pk: rank_results(results, methods[pk]) for pk, results in grouped.items()}


def rank_results(results, method):
    """Order by points, then by first preferences (Borda) or supporters (dots); options equal
    on both share a place."""
    def key(result):
        second = result.firsts if method == Method.BORDA else result.supporters
        return (result.points, second)

    results.sort(key=lambda r: (-key(r)[0], -key(r)[1], r.option.number))
    for index, result in enumerate(results):
        if index and key(result) == key(results[index - 1]):
            result.place = results[index - 1].place
            result.tied = results[index - 1].tied = True
        else:
            result.place = index + 1
    return results
