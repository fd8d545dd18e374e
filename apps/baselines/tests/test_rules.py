"""The baseline's rules: climate normals, shares, periods, dates; and completeness."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from apps.baselines.forms import land_use_formset, sector_formset
from apps.baselines.models import (
    CHECKS, BaselineProfile, ClimateNormal, LandUse, PastDisaster, check_shares,
)
from apps.baselines.tests.conftest import add_normals

pytestmark = pytest.mark.django_db


def normal(profile, **values):
    return ClimateNormal(profile=profile, **{"month": 1, "tmax": D("30"), "tmin": D("20"),
                                             "rainfall": D("10"), **values})


# -- climate normals ------------------------------------------------------------------------
def test_tmin_above_tmax_is_refused_by_the_model_and_the_database(profile):
    bad = normal(BaselineProfile.objects.create(city=profile.city.network.cities.exclude(
        pk=profile.city_id).first()), tmin=D("31"))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "Tmin (31 °C) is above Tmax (30 °C)." in error.value.message_dict["tmin"]
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


def test_negative_rainfall_is_refused(world):
    profile = BaselineProfile.objects.create(city=world.city)
    with pytest.raises(ValidationError) as error:
        normal(profile, rainfall=D("-1")).full_clean()
    assert "rainfall" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        normal(profile, rainfall=D("-1")).save()


def test_a_month_is_1_to_12_and_appears_once(world):
    profile = BaselineProfile.objects.create(city=world.city)
    with pytest.raises(ValidationError) as error:
        normal(profile, month=13).full_clean()
    assert "month" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        normal(profile, month=0).save()
    normal(profile, month=2).save()
    with pytest.raises(ValidationError):
        normal(profile, month=2).full_clean()  # the unique constraint, checked before saving
    with pytest.raises(IntegrityError), transaction.atomic():
        normal(profile, month=2).save()


def test_rain_days_fit_in_the_month(world):
    profile = BaselineProfile.objects.create(city=world.city)
    normal(profile, month=2, rain_days=D("29")).full_clean()  # a leap February
    with pytest.raises(ValidationError) as error:
        normal(profile, month=2, rain_days=D("30")).full_clean()
    assert "rain_days" in error.value.message_dict


# -- shares ---------------------------------------------------------------------------------
def test_shares_over_100_name_the_row_where_the_total_goes_over():
    rows = [(1, "Residential", D("60")), (2, "Commercial", D("30")), (3, "Farmland", D("15")),
            (4, "Water", D("5"))]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        check_shares(rows, "land use")
    assert error.value.messages == [
        "Row 3 (Farmland): the land use shares add up to 105%, more than 100%."]
    assert check_shares(rows[:2], "land use") == 90


def formset_data(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{k}": v for k, v in row.items()})
    return data


def test_the_land_use_form_refuses_shares_over_100_naming_the_row(world):
    profile = BaselineProfile.objects.create(city=world.city)
    rows = [{"category": "residential", "share": "70"}, {"category": "", "share": ""},
            {"category": "agricultural", "share": "40"}]
    with translation.override("en"):
        formset = land_use_formset(formset_data("land", rows), instance=profile)
        assert not formset.is_valid()
        assert formset.non_form_errors() == [
            "Row 3 (Agricultural): the land use shares add up to 110%, more than 100%."]
    formset = land_use_formset(formset_data("land", rows[:2]), instance=profile)
    assert formset.is_valid()
    formset.save()
    assert list(profile.land_use.values_list("category", "share")) == [("residential", 70)]


def test_a_sector_needs_a_name_and_its_shares_are_checked_too(world):
    profile = BaselineProfile.objects.create(city=world.city)
    with translation.override("en"):
        unnamed = sector_formset(formset_data("sectors", [{"share": "20"}]), instance=profile)
        assert not unnamed.is_valid()
        assert unnamed.forms[0].errors == {"name_th": ["Name the sector in Thai or English."]}
        over = sector_formset(formset_data("sectors", [
            {"name_en": "Trade", "share": "80"}, {"name_th": "ท่องเที่ยว", "share": "30"}]),
            instance=profile)
        assert not over.is_valid()
        assert "Row 2 (ท่องเที่ยว)" in over.non_form_errors()[0]


def test_a_share_is_a_percentage(world):
    profile = BaselineProfile.objects.create(city=world.city)
    with pytest.raises(ValidationError) as error:
        LandUse(profile=profile, category="water", share=D("101")).full_clean()
    assert "share" in error.value.message_dict


# -- profile fields ---------------------------------------------------------------------------
@pytest.mark.parametrize("period,stored", [("1981-2010", "1981-2010"), ("2524-2553", "1981-2010"),
                                           ("2534-2563", "1991-2020")])
def test_the_normals_period_is_two_years_stored_gregorian(world, period, stored):
    profile = BaselineProfile(city=world.city, climate_period=period)
    profile.full_clean()
    assert profile.climate_period == stored


@pytest.mark.parametrize("period", ["1981", "2010-1981", "30 years", "1981-20100"])
def test_a_bad_normals_period_is_refused(world, period):
    with pytest.raises(ValidationError) as error:
        BaselineProfile(city=world.city, climate_period=period).full_clean()
    assert "climate_period" in error.value.message_dict


def test_coverage_is_a_percentage_and_area_positive(world):
    with pytest.raises(ValidationError) as error:
        BaselineProfile(city=world.city, water_coverage=D("120"), area_km2=D("0")).full_clean()
    assert {"water_coverage", "area_km2"} <= set(error.value.message_dict)


def test_density_comes_from_population_and_area(world):
    assert BaselineProfile(city=world.city, population=75000, area_km2=D("60.85")).density == 1233
    assert BaselineProfile(city=world.city, population=75000).density is None


# -- past disasters ---------------------------------------------------------------------------
def test_a_disaster_shows_as_precisely_as_it_is_known(world):
    profile = BaselineProfile.objects.create(city=world.city)
    cases = [("day", "1 November 2010", "1 พฤศจิกายน 2553"),
             ("month", "November 2010", "พฤศจิกายน 2553"), ("year", "2010", "2553")]
    for precision, english, thai in cases:
        disaster = PastDisaster(profile=profile, date=dt.date(2010, 11, 1), precision=precision,
                                hazard="flood")
        assert disaster.when("en") == english
        assert disaster.when("th") == thai


def test_a_month_or_year_disaster_is_stored_on_its_first_day(world):
    profile = BaselineProfile.objects.create(city=world.city)
    disaster = PastDisaster(profile=profile, date=dt.date(2010, 11, 21), precision="year",
                            hazard="flood")
    disaster.full_clean()
    assert disaster.date == dt.date(2010, 1, 1)


def test_a_disaster_cannot_be_in_the_future(world):
    profile = BaselineProfile.objects.create(city=world.city)
    with pytest.raises(ValidationError):
        PastDisaster(profile=profile, date=dt.date(2149, 1, 1), hazard="flood").full_clean()


# -- completeness ---------------------------------------------------------------------------
def checks_of(profile):
    return BaselineProfile.objects.with_checks().get(pk=profile.pk).completeness


def test_an_empty_profile_is_0_and_lists_every_check(world):
    empty = BaselineProfile.objects.create(city=world.city)
    completeness = checks_of(empty)
    assert completeness.percent == 0
    assert [c.name for c in completeness.missing] == [c.name for c in CHECKS]


def test_a_complete_profile_is_100(profile):
    assert checks_of(profile).percent == 100
    assert profile.completeness.percent == 100  # unannotated: asks the database itself


@pytest.mark.parametrize("change,missing", [
    (lambda p: BaselineProfile.objects.filter(pk=p.pk).update(population_source=""),
     "population"),
    (lambda p: p.sectors.all().delete(), "sectors"),
    (lambda p: p.land_use.all().delete(), "land_use"),
    (lambda p: p.disasters.all().delete(), "disasters"),
    (lambda p: p.normals.filter(month=12).delete(), "climate"),
    (lambda p: BaselineProfile.objects.filter(pk=p.pk).update(climate_period=""), "climate"),
    (lambda p: BaselineProfile.objects.filter(pk=p.pk).update(schools=None), "services"),
    # Thai text without its English: the workshop sheet would be empty there.
    (lambda p: BaselineProfile.objects.filter(pk=p.pk).update(economy_en=""), "english"),
])
def test_each_check_notices_its_gap(profile, change, missing):
    change(profile)
    completeness = checks_of(profile)
    assert [c.name for c in completeness.missing] == [missing]
    assert completeness.percent == round(100 * (len(CHECKS) - 1) / len(CHECKS))


def test_the_english_check_is_not_passed_by_an_empty_profile_either(world):
    empty = BaselineProfile.objects.create(city=world.city)
    assert "english" in [c.name for c in checks_of(empty).missing]
    add_normals(empty, months=11)
    assert "climate" in [c.name for c in checks_of(empty).missing]


def test_for_cities_reads_every_city_in_one_query(world, profile, django_assert_num_queries):
    BaselineProfile.objects.create(city=world.other_city, published=True)
    user = world.user("national")
    user.roles.count()  # warm nothing: the scope query is part of the count below
    with django_assert_num_queries(2):  # the user's roles, then the profiles
        found = BaselineProfile.objects.for_cities([world.city, world.other_city], user)
        percents = {city_id: p.completeness.percent for city_id, p in found.items()}
    assert percents == {world.city.pk: 100, world.other_city.pk: 0}
