"""The chain page, the study pages, the city panel and the list endpoints keep a flat number of
queries as nodes, links, studies, rounds and attachments grow."""
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.assessments.models import RiskRating, UrbanSystem
from apps.core.testing import PASSWORD
from apps.studies.models import SectorStudy, StudyAttachment
from apps.studies.tests.conftest import link, node

pytestmark = pytest.mark.django_db
_n = itertools.count()
SYSTEMS = list(UrbanSystem.values)


def grow(assessment, study, size):
    """`size` more chains, studies (two rounds each) and attachments."""
    for _ in range(size):
        i = next(_n)
        h = node(assessment, "hazard", f"ภัย {i}")
        im = node(assessment, "impact", f"ผลกระทบ {i}")
        c = node(assessment, "consequence", f"ผลตามมา {i}")
        a = node(assessment, "affected", f"กลุ่ม {i}")
        link(h, im), link(im, c), link(c, a)
        rating, _new = RiskRating.objects.get_or_create(
            assessment=assessment, hazard="flood", system=SYSTEMS[i % len(SYSTEMS)],
            defaults={"likelihood": 3, "consequence": 3, "justification_th": "x"})
        other = SectorStudy.objects.create(assessment=assessment, title_th=f"การศึกษา {i}",
                                           sector="health")
        version = other.start(None)
        version.findings_th = "ผล"
        version.save()
        version.nodes.set([im, c])
        version.risks.set([rating])
        StudyAttachment.objects.create(version=version, title="r", file="studies/r.pdf",
                                       size=10, file_type="pdf")
        version.sign_off(None)
        other.draft_for_edit(None)
        draft = study.draft_for_edit(None)
        draft.nodes.add(im)
        StudyAttachment.objects.create(version=draft, title=f"a {i}", file="studies/a.pdf",
                                       size=10, file_type="pdf")


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("persona", ["expert", "member", None])
@pytest.mark.parametrize("url", ["/c/a1/impact-chains/", "/c/a1/studies/", "study", "compare",
                                 "/c/a1/", "/api/studies", "/api/studies?city=a1",
                                 "/api/cities/a1/impact-graph", "api-study"])
def test_query_counts_stay_flat(client, world, assessment, study, persona, url):
    if persona:
        client.login(username=persona, password=PASSWORD)
    else:
        assessment.set_published(None, True)
    first = study.versions.get()
    first.findings_th = "ผล"
    first.save()
    first.sign_off(None)
    url = {"study": f"/c/a1/studies/{study.pk}/", "compare": f"/c/a1/studies/{study.pk}/compare/",
           "api-study": f"/api/studies/{study.pk}"}.get(url, url)
    grow(assessment, study, 2)
    small = count(client, url)
    grow(assessment, study, 6)
    large = count(client, url)
    assert large == small, f"{url}: {small} queries with few rows, {large} with many"


def test_the_city_panel_takes_five_queries(rf, world, assessment, study,
                                           django_assert_num_queries):
    from apps.networks.models import City
    from apps.studies.panels import city_panel

    grow(assessment, study, 4)
    request = rf.get("/c/a1/")
    request.user = world.user("coordinator")
    city = City.objects.select_related("network").get(pk=world.city.pk)
    with django_assert_num_queries(6):  # five, plus the user's roles (once per request)
        panel = city_panel(request, city)
    assert panel["graph"].chain_count == 4 and len(panel["studies"]) == 5 and panel["svg"]
