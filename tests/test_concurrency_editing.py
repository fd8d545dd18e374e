"""Two people open the same record, both change it, both save: the first save stands, the
second gets HTTP 409 with the form again (their input kept, a message naming the current
values, the current version in the hidden field), and nothing of theirs is saved. Saving that
form once more is a deliberate overwrite and goes through.

Each case loads the real edit page twice and posts back what the page's form carries, so the
hidden token in the rendered page is part of what is tested.
"""
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from apps.assessments.models import Assessment
from apps.core.concurrency import TOKEN
from apps.core.testing import PASSWORD
from apps.dialogues.models import Dialogue
from apps.dialogues.tests.conftest import make_dialogue
from apps.events.models import Event
from apps.events.tests.conftest import make_event
from apps.progress.models import CityActivity
from apps.proposals.models import Call, Proposal
from apps.proposals.testing import make_call, make_organisation, make_proposal, make_user

CONFLICT = "Someone else changed this record since you opened it"


class _Forms(HTMLParser):
    """The fields of every <form> of a page, as a browser would submit them untouched."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox"
                                                  else "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self._form.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._form.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea and self._form and self._form[-1][0] == self._textarea:
            name, text = self._form[-1]
            self._form[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def loaded_form(client, url):
    """GET the edit page; return the data of its form that carries the version token."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.status_code
    parser = _Forms()
    parser.feed(response.content.decode())
    forms = [f for f in parser.forms if any(name.endswith(TOKEN) for name, _ in f)]
    assert len(forms) == 1, "the edit form carries one version token"
    data = {}
    for name, value in forms[0]:
        data.setdefault(name, []).append(value)
    data.pop("csrfmiddlewaretoken", None)
    return data


def signed_in(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def race(first, second, get_url, post_url, field, mine, theirs, reload):
    """`first` and `second` load the form; `first` saves `mine`, then `second` saves
    `theirs`. Returns the second answer."""
    data_first, data_second = loaded_form(first, get_url), loaded_form(second, get_url)
    data_first[field] = [mine]
    ok = first.post(post_url, data_first, HTTP_ACCEPT_LANGUAGE="en")
    assert ok.status_code == 302, ok.content.decode()[:2000]
    assert getattr(reload(), field) == mine
    data_second[field] = [theirs]
    answer = second.post(post_url, data_second, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 409
    text = answer.content.decode()
    assert CONFLICT in text
    assert theirs in text  # their input is kept in the form
    assert mine in text  # the message names the current value
    assert getattr(reload(), field) == mine  # the first save stands
    # The page carries the current version now: saving again overwrites on purpose.
    again = second.post(post_url, _resubmitted(text, data_second), HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 302
    assert getattr(reload(), field) == theirs
    return answer


def _resubmitted(page, data):
    parser = _Forms()
    parser.feed(page)
    form = next(f for f in parser.forms if any(name.endswith(TOKEN) for name, _ in f))
    token = {name: value for name, value in form if name.endswith(TOKEN)}
    return {**data, **{name: [value] for name, value in token.items()}}


@pytest.mark.django_db(transaction=True)
def test_assessment_settings(world):
    assessment = Assessment.objects.create(city=world.city, created_by=world.user("expert"))
    url = reverse("assessments:overview", args=[world.city.slug])
    race(signed_in("expert"), signed_in("coordinator"), url,
         reverse("assessments:edit", args=[world.city.slug]), "notes_en",
         "Scope agreed with the working group", "Scope still open",
         lambda: Assessment.objects.get(pk=assessment.pk))


@pytest.mark.django_db(transaction=True)
def test_dialogue_record(world):
    dialogue = make_dialogue(world)
    url = reverse("dialogues:edit", args=[world.city.slug, 1])
    race(signed_in("coordinator"), signed_in("coordinator"), url, url, "summary_en",
         "Floods came first", "Drought came first",
         lambda: Dialogue.objects.get(pk=dialogue.pk))


@pytest.mark.django_db(transaction=True)
def test_event_details(world):
    activity = CityActivity.objects.get(city=world.city, plan_activity__number=2)
    event = make_event(activity, capacity=30)
    url = reverse("events:edit", args=[event.pk])
    race(signed_in("coordinator"), signed_in("coordinator"), url, url, "title_en",
         "Project launch at the city hall", "Project launch in the park",
         lambda: Event.objects.get(pk=event.pk))


@pytest.mark.django_db(transaction=True)
def test_call_settings(world):
    call = make_call(world.city)
    url = reverse("proposals:call-edit", args=[call.pk])
    race(signed_in("coordinator"), signed_in("coordinator"), url, url, "title_en",
         "Pilots for flood-prone communities", "Pilots for drought",
         lambda: Call.objects.get(pk=call.pk))


@pytest.mark.django_db(transaction=True)
def test_proposal_in_two_tabs(world):
    call = make_call(world.city)
    organisation = make_organisation(world.city, "มูลนิธิ")
    author = make_user("author", world.city, organisation=organisation)
    proposal = make_proposal(call, author, organisation, submitted=False)
    url = reverse("proposals:proposal-edit", args=[proposal.pk])
    race(signed_in("author"), signed_in("author"), url, url, "title_en",
         "Rain tanks for schools", "Early warning sirens",
         lambda: Proposal.objects.get(pk=proposal.pk))


@pytest.mark.django_db(transaction=True)
def test_a_form_without_the_token_is_not_checked(world):
    """Writers that never loaded a form (older pages, scripts) keep working."""
    dialogue = make_dialogue(world)
    client = signed_in("coordinator")
    url = reverse("dialogues:edit", args=[world.city.slug, 1])
    data = loaded_form(client, url)
    data.pop(TOKEN)
    data["summary_en"] = ["No token"]
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    assert Dialogue.objects.get(pk=dialogue.pk).summary_en == "No token"


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_only_when_the_save_commits(world):
    """A save that fails after taking the version gives it back (same transaction)."""
    from unittest import mock

    dialogue = make_dialogue(world)
    client = signed_in("coordinator")
    url = reverse("dialogues:edit", args=[world.city.slug, 1])
    data = loaded_form(client, url)
    data["summary_en"] = ["Half"]
    client.raise_request_exception = False
    with mock.patch.object(Dialogue, "log", side_effect=RuntimeError("disk full")):
        assert client.post(url, data, HTTP_ACCEPT_LANGUAGE="en").status_code == 500
    saved = Dialogue.objects.get(pk=dialogue.pk)
    assert saved.version == dialogue.version and saved.summary_en != "Half"
    assert client.post(url, data, HTTP_ACCEPT_LANGUAGE="en").status_code == 302  # the same token still works
