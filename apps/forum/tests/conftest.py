import io

import pytest

from apps.assessments.models import Assessment, RiskArea, RiskRating, ScopeGroup
from apps.core.testing import make_city, make_world

SQUARE = {"type": "Polygon", "coordinates": [[[100.0, 13.0], [100.1, 13.0], [100.1, 13.1],
                                              [100.0, 13.1], [100.0, 13.0]]]}


def assess(city, published=True, group="ผู้สูงอายุริมน้ำ", area="ชุมชนริมคลอง",
           risks=(("flood", "drainage", 4, 4),)):
    assessment = Assessment.objects.create(city=city, published=published)
    for hazard, system, likelihood, consequence in risks:
        RiskRating.objects.create(assessment=assessment, hazard=hazard, system=system,
                                  likelihood=likelihood, consequence=consequence,
                                  justification_th="เหตุผล")
    if group:
        ScopeGroup.objects.create(assessment=assessment, name_th=group)
    if area:
        RiskArea.objects.create(assessment=assessment, name_th=area, hazard="flood",
                                geometry=SQUARE)
    return assessment


def add_cities(network, n, prefix="x"):
    cities = [make_city(network, f"{prefix}{i}") for i in range(n)]
    for city in cities:
        assess(city, group=f"กลุ่ม {city.slug}", area=f"พื้นที่ {city.slug}")
    return cities


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def no_chromium(monkeypatch):
    """Tests that are not about the PDF skip Chromium (slow): the task stores this instead,
    and the DOCX's pictures are blank."""
    monkeypatch.setattr("apps.events.pdf.html_to_pdf", lambda html: b"%PDF-1.4 test")
    monkeypatch.setattr("apps.forum.pictures.rasterise", blank_pictures)


def blank_pictures(figures):
    """Stand-ins for apps.forum.pictures.rasterise: a blank PNG per figure."""
    from PIL import Image

    from apps.forum.pictures import Picture

    buffer = io.BytesIO()
    Image.new("RGB", (36, 22), "white").save(buffer, "PNG")
    return {key: Picture(buffer.getvalue(), 360, 220) for key in figures}
