"""The printable sign-in sheet: an A4 PDF whose Thai text copies out exactly as typed."""
import datetime as dt
import subprocess

import pytest
from django.utils import timezone

from apps.core.dates import THAI_MONTHS
from apps.core.testing import PASSWORD
from apps.events.tests.conftest import make_event
from apps.people.models import Organisation, Person

# Debian's chromium and poppler-utils come with `make test` (scripts/ensure-browser.sh).
pytestmark = [pytest.mark.django_db]

# Names with the marks that trip PDF text extraction: upper vowels with tone marks (ปิ, ชั่),
# sara am (ำ), leading vowels (เ แ โ ไ) and a thanthakhat (์).
PEOPLE = [
    ("ปิยะนุช สายสุวรรณ", "Piyanuch Saisuwan"),
    ("ศิริพร ใจมา", "Siriporn Jaima"),
    ("กิตติพงษ์ ตันติวงศ์", "Kittiphong Tantiwong"),
    ("ฟาตีมะห์ เจ๊ะหมัด", "Fatimah Chemat"),
    ("บุญเรือง ธรรมวงศ์", "Boonruang Thammawong"),
    ("ไพโรจน์ แก้วประดิษฐ์", "Phairot Kaewpradit"),
]
TITLE_TH = "งานเปิดตัวโครงการเมืองเชียงรายรับมือการเปลี่ยนแปลงสภาพภูมิอากาศ"
TITLE_EN = "Chiang Rai climate resilience project launch"


def text_of(pdf):
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                            check=True)
    return result.stdout.decode()


@pytest.fixture
def sheet(client, world, launch_activity):
    organisation = Organisation.objects.create(
        name_th="มหาวิทยาลัยแม่ฟ้าหลวง", name_en="Mae Fah Luang University", kind="academia",
        city=world.city)
    event = make_event(launch_activity, title_th=TITLE_TH, title_en=TITLE_EN,
                       place_th="ห้องประชุมเทศบาลนครเชียงราย", place_en="Chiang Rai City Hall")
    for name_th, name_en in PEOPLE:
        event.register(Person.objects.create(full_name_th=name_th, full_name_en=name_en,
                                             city=world.city, organisation=organisation))
    client.login(username="coordinator", password=PASSWORD)
    return lambda lang: client.get(f"/events/{event.pk}/sign-in.pdf?lang={lang}")


def test_the_thai_sheet_keeps_names_and_title_exact(sheet):
    response = sheet("th")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = text_of(response.content)
    assert TITLE_TH in text
    for name_th, _name_en in PEOPLE:
        assert name_th in text, name_th
    assert "มหาวิทยาลัยแม่ฟ้าหลวง" in text and "ห้องประชุมเทศบาลนครเชียงราย" in text
    day = timezone.localdate() + dt.timedelta(days=10)  # make_event's default date
    assert f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}" in text  # Buddhist Era


def test_the_english_sheet_uses_english_names(sheet):
    text = text_of(sheet("en").content)
    assert TITLE_EN in text and "Mae Fah Luang University" in text
    for _name_th, name_en in PEOPLE:
        assert name_en in text
    assert PEOPLE[0][0] not in text


def words(text):
    """Text without its spaces and line breaks: a cell or a paragraph wraps where it must."""
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_sheet_has_an_optional_vulnerable_group_column(sheet, lang):
    # Attendees write the number of their own group, if they wish; nothing is printed in it.
    from django.utils import translation

    from apps.events.models import VulnerableGroup

    raw = subprocess.run(["pdftotext", "-", "-"], input=sheet(lang).content,
                         capture_output=True, check=True).stdout.decode()
    text = words(raw)
    with translation.override(lang):
        assert words(translation.gettext("Vulnerable group (optional)")) in text
        assert words(translation.gettext(
            "Vulnerable group (optional, self-declared): write the number of your group if you "
            "wish to declare one.")) in text
        for number, label in enumerate(VulnerableGroup.labels, 1):
            assert words(f"{number} {label}") in text
