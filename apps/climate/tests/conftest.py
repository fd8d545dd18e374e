import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.climate.models import Station
from apps.climate.synthetic import daily_series, to_csv


def make_station(city, code="48303", published=False, **values):
    return Station.objects.create(city=city, code=code, name_th=f"สถานี {code}",
                                  name_en=f"Station {code}", published=published, **values)


def csv_file(text, name="series.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding) if isinstance(text, str) else text,
                              content_type="text/csv")


def synthetic_file(first=2001, last=2012, thai=True, name="series.csv", seed=1, gaps=True):
    return csv_file(to_csv(daily_series("chiang-rai", first, last, seed=seed, gaps=gaps),
                           thai=thai), name)


def xlsx_bytes(rows):
    """An .xlsx workbook of `rows` (first row the header); cells may be formulas."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def quick_intervals(settings):
    """Maximum-likelihood bootstrap intervals refit with scipy one resample at a time; tests
    check their layout and order, not their precision, so a few resamples are enough."""
    settings.CLIMATE_MLE_RESAMPLES = 20


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the msgids); Thai has its own test."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def station(world):
    return make_station(world.city)


@pytest.fixture
def client():
    """Pages in English unless a test asks for Thai (Accept-Language: th)."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")
