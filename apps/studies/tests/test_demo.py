import pytest
from django.core.management import call_command

from apps.studies.models import ImpactLink, ImpactNode, SectorStudy, StudyVersion

pytestmark = pytest.mark.django_db


def test_demo_has_chains_and_two_studies_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    counts = (ImpactNode.objects.count(), ImpactLink.objects.count(),
              SectorStudy.objects.count(), StudyVersion.objects.count())
    call_command("seed_demo", verbosity=0)
    assert counts == (ImpactNode.objects.count(), ImpactLink.objects.count(),
                      SectorStudy.objects.count(), StudyVersion.objects.count())
    graph = ImpactNode.objects.graph(SectorStudy.objects.first().assessment)
    assert graph.chain_count >= 5 and [n.text_en for n in graph.gaps] == ["Hillside landslides"]
    flood, haze = SectorStudy.objects.order_by("pk")
    assert list(flood.versions.values_list("round", "status")) == [(1, "signed"), (2, "signed")]
    assert list(haze.versions.values_list("round", "status")) == [(1, "draft")]
    assert flood.issue is not None and flood.issue.text_en == "Urban flood management"
