"""The English data sheet for the 10-city workshop: a real PDF from headless Chromium whose
text is extractable and English only, one per city and one for the whole network."""
import shutil
import subprocess

import pytest

from apps.baselines.models import BaselineProfile, EconomicSector, PastDisaster
from apps.baselines.tests.conftest import complete_profile

pytestmark = pytest.mark.django_db


def pdf_text(content):
    assert content.startswith(b"%PDF")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          capture_output=True, check=True)
    return done.stdout.decode()


def has_thai(text):
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


@pytest.fixture(autouse=True)
def tools():
    assert shutil.which("pdftotext"), "poppler-utils is needed (make test installs it)"


def test_the_sheet_is_english_with_the_city_its_disasters_and_normals(client, world, profile):
    world.city.name_en = "Chiang Rai"
    world.city.save()
    # Thai-only texts must not leak into the English sheet, whatever the page language.
    EconomicSector.objects.create(profile=profile, name_th="ยางพารา", share=10)
    PastDisaster.objects.create(profile=profile, date="2000-11-21", hazard="flood",
                                area_th="ตัวเมือง", source="ปภ. สงขลา")
    profile.population_source = "ทะเบียนราษฎร์"
    profile.save()
    client.force_login(world.user("member"))
    response = client.get("/c/a1/baseline/datasheet.pdf", HTTP_ACCEPT_LANGUAGE="th")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Chiang Rai" in text and "City baseline data sheet" in text
    assert "1 November 2010" in text and "Flash flood" in text and "Most of the city" in text
    assert "21 November 2000" in text and "(in Thai only)" in text
    assert "Climate normals 1981-2010" in text and "381.3" in text
    assert "1,233 people per km²" in text
    assert not has_thai(text), [line for line in text.splitlines() if has_thai(line)]


def test_an_unpublished_sheet_is_the_citys_only(client, world, profile):
    assert client.get("/c/a1/baseline/datasheet.pdf").status_code == 404
    client.force_login(world.user("outsider"))
    assert client.get("/c/a1/baseline/datasheet.pdf").status_code == 404


def test_the_network_pdf_has_a_sheet_per_visible_programme_city(client, world, profile):
    world.other_city.name_en = "Hat Yai"
    world.other_city.save()
    other = complete_profile(world.other_city, published=True)
    other.disasters.update(area_en="Hat Yai city centre")
    world.city.name_en = "Chiang Rai"
    world.city.save()
    text = pdf_text(client.get("/n/net-a/baselines/datasheets.pdf").content)
    assert "Hat Yai city centre" in text and "Chiang Rai" not in text  # A1's is unpublished
    client.force_login(world.user("national"))
    text = pdf_text(client.get("/n/net-a/baselines/datasheets.pdf").content)
    assert "Hat Yai" in text and "Chiang Rai" in text
    assert BaselineProfile.objects.count() == 2
