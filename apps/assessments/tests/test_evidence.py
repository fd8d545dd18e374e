"""A finished climate analysis cited as evidence for a hazard's trend."""
import pytest
from django.urls import reverse
from django.utils import timezone

from apps.assessments.models import HazardTrend, TrendEvidence
from apps.climate.models import Analysis, Station
from apps.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

RESULTS = {
    "years": list(range(1981, 2021)),
    "indices": {"Rx1day": {"name": "Max 1-day precipitation", "unit": "mm"}},
    "trends": {"Rx1day": {"n": 40, "mk": {"trend": 1, "slope": 0.42, "p": 0.031},
                          "hamed_rao": {"trend": 1, "p": 0.048}}},
}


def analysis(city, published=False):
    station = Station.objects.create(city=city, code="48303", name_th="สถานีเมือง",
                                     published=published)
    return Analysis.objects.create(station=station, status=Analysis.Status.DONE,
                                   progress=100, results=RESULTS, finished_at=timezone.now())


def test_an_expert_cites_an_analysis_and_the_trend_shows_its_test(client, world, assessment):
    trend = HazardTrend.objects.create(assessment=assessment, hazard="flood",
                                       current_th="ท่วมทุกปี")
    done = analysis(world.city)
    other_city = analysis(world.other_city, published=True)
    assert client.login(username="expert", password=PASSWORD)
    page = client.get(reverse("assessments:overview", args=[world.city.slug]))
    offered = dict(page.context["forms"]["evidence"].fields["source"].choices)
    assert f"{done.pk}:Rx1day" in offered
    assert f"{other_city.pk}:Rx1day" not in offered  # only the city's own stations
    response = client.post(reverse("assessments:cite-evidence", args=[world.city.slug]),
                           {"trend": trend.pk, "source": f"{done.pk}:Rx1day", "note": "สถานีหลัก"})
    assert response.status_code == 302
    assert TrendEvidence.objects.get().index == "Rx1day"
    page = client.get(reverse("assessments:overview", args=[world.city.slug]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1981–2020" in page and "4.20 mm per decade" in page and "p = 0.031" in page
    again = client.post(reverse("assessments:cite-evidence", args=[world.city.slug]),
                        {"trend": trend.pk, "source": f"{done.pk}:Rx1day"},
                        HTTP_ACCEPT_LANGUAGE="en")
    assert "already cited" in again.content.decode() and TrendEvidence.objects.count() == 1


def test_an_analysis_of_another_city_cannot_be_cited(client, world, assessment):
    trend = HazardTrend.objects.create(assessment=assessment, hazard="flood", current_th="x")
    foreign = analysis(world.other_city, published=True)
    assert client.login(username="expert", password=PASSWORD)
    response = client.post(reverse("assessments:cite-evidence", args=[world.city.slug]),
                           {"trend": trend.pk, "source": f"{foreign.pk}:Rx1day"})
    assert response.status_code == 200 and not TrendEvidence.objects.exists()


def test_readers_outside_the_city_do_not_see_an_unpublished_stations_numbers(
        client, world, assessment):
    trend = HazardTrend.objects.create(assessment=assessment, hazard="flood", current_th="x")
    TrendEvidence.objects.create(trend=trend, analysis=analysis(world.city), index="Rx1day")
    assessment.published = True
    assessment.save()
    page = client.get(reverse("assessments:overview", args=[world.city.slug]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A climate analysis the city has not published." in page and "0.031" not in page
