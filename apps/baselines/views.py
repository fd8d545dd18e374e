"""The city's baseline page, its edit forms, the disaster import and the workshop data sheet.

Visibility is the profile's: published profiles are public, unpublished ones are for the
city's readers (404 to everyone else, exactly like a missing one). The city's coordinators and
its experts (academics help prepare the baseline) edit it ("city-assess"); publishing is the
coordinators' decision ("city-edit"), as for the city's other records.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.scope import scope_of
from apps.baselines.charts import climograph_data, climograph_svg
from apps.baselines.forms import (
    ClimateForm, DisasterForm, ImportForm, ProfileForm, land_use_formset, normal_forms,
    sector_formset,
)
from apps.baselines.imports import COLUMNS, import_disasters
from apps.baselines.models import BaselineProfile, ClimateNormal, PastDisaster
from apps.core.access import access, require_city_assess, require_city_edit
from apps.events import pdf
from apps.networks.models import City, Network


# -- lookups ------------------------------------------------------------------------------
def _city(slug):
    return get_object_or_404(City.objects.select_related("network"), slug=slug)


def _visible(request, city):
    return BaselineProfile.objects.visible_to(request.user).filter(city=city).first()


def _readable(request, slug):
    """The city and its profile if the user may read it; an unsaved, empty profile for those
    who may start it; 404 otherwise (never reveal that an unpublished one exists)."""
    city = _city(slug)
    profile = _visible(request, city)
    if profile is None:
        if not (scope_of(request.user).can_assess_city(city)
                and not BaselineProfile.objects.filter(city=city).exists()):
            raise Http404(_("This baseline does not exist or is not published."))
        profile = BaselineProfile(city=city)
    profile.city = city
    return city, profile


def _editable(request, slug):
    """For the edit forms: 404 to those who may not read it, 403 to readers who may not edit."""
    city = _city(slug)
    profile = BaselineProfile.objects.filter(city=city).first()
    if not (scope_of(request.user).can_read_city(city) or (profile and profile.published)):
        raise Http404(_("This baseline does not exist or is not published."))
    require_city_assess(request, city)
    profile = profile or BaselineProfile(city=city)
    profile.city = city
    return city, profile


def _page_url(city, anchor=""):
    url = reverse("baselines:profile", args=[city.slug])
    return f"{url}#{anchor}" if anchor else url


def _saved(profile, user):
    profile.updated_by = user if user.is_authenticated else None
    profile.save()


def disaster_totals(disasters):
    def total(name):
        values = [getattr(d, name) for d in disasters if getattr(d, name) is not None]
        return sum(values) if values else None

    return {"people_affected": total("people_affected"), "deaths": total("deaths"),
            "damage_thb": total("damage_thb")}


def _sheet_context(profile):
    """What the data sheet prints: read inside translation.override("en")."""
    disasters = list(profile.disasters.all()) if profile.pk else []
    normals = list(profile.normals.all()) if profile.pk else []
    return {
        "profile": profile, "city": profile.city,
        "sectors": list(profile.sectors.all()) if profile.pk else [],
        "land_use": list(profile.land_use.all()) if profile.pk else [],
        "disasters": disasters, "totals": disaster_totals(disasters), "normals": normals,
        "climograph": climograph_svg(normals, width=680, height=230, lang="en"),
    }


# -- the page -----------------------------------------------------------------------------
def _page(request, city, profile, disaster_form=None):
    scope = scope_of(request.user)
    can_assess = scope.can_assess_city(city)
    saved = profile.pk is not None
    disasters = list(profile.disasters.all()) if saved else []
    normals = list(profile.normals.all()) if saved else []
    return render(request, "baselines/profile.html", {
        "city": city, "network": city.network, "profile": profile,
        "completeness": profile.completeness,
        "sectors": list(profile.sectors.all()) if saved else [],
        "land_use": list(profile.land_use.all()) if saved else [],
        "land_use_total": sum(r.share or 0 for r in profile.land_use.all()) if saved else 0,
        "disasters": disasters, "totals": disaster_totals(disasters),
        "normals": normals, "chart": climograph_data(normals) if normals else None,
        "climograph_svg": climograph_svg(normals) if normals else "",
        "can_assess": can_assess,
        "can_publish": scope.can_edit_city(city) and saved,
        "disaster_form": disaster_form or (DisasterForm(profile=profile) if can_assess else None),
    })


@access("public")
def profile_detail(request, slug):
    city, profile = _readable(request, slug)
    return _page(request, city, profile)


@access("city-assess")
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    city, profile = _editable(request, slug)
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=profile)
    sectors = sector_formset(data, instance=profile)
    land_use = land_use_formset(data, instance=profile)
    if data is not None and all([form.is_valid(), sectors.is_valid(), land_use.is_valid()]):
        with transaction.atomic():
            profile = form.save(commit=False)
            _saved(profile, request.user)
            sectors.instance = land_use.instance = profile
            sectors.save()
            land_use.save()
        messages.success(request, _("Saved."))
        return redirect(_page_url(city))
    return render(request, "baselines/edit.html", {
        "city": city, "profile": profile, "form": form, "sectors": sectors,
        "land_use": land_use,
    })


@access("city-assess")
@require_http_methods(["GET", "POST"])
def climate(request, slug):
    """The climate normals: period, station, source and a 12-month grid."""
    city, profile = _editable(request, slug)
    data = request.POST if request.method == "POST" else None
    form = ClimateForm(data, instance=profile)
    rows = normal_forms(profile, data)
    if data is not None and form.is_valid() and all([row.is_valid() for row in rows]):
        with transaction.atomic():
            profile = form.save(commit=False)
            _saved(profile, request.user)
            kept = []
            for row in rows:
                values = row.normal()
                if values is None:
                    continue
                ClimateNormal.objects.update_or_create(profile=profile, month=row.month,
                                                       defaults=values)
                kept.append(row.month)
            profile.normals.exclude(month__in=kept).delete()
        messages.success(request, _("Saved."))
        return redirect(_page_url(city, "climate"))
    return render(request, "baselines/climate.html", {
        "city": city, "profile": profile, "form": form, "rows": rows,
    })


@access("city-assess")
@require_POST
def disaster_add(request, slug):
    city, profile = _editable(request, slug)
    form = DisasterForm(request.POST, profile=profile)
    if form.is_valid():
        with transaction.atomic():
            if profile.pk is None:
                _saved(profile, request.user)
            form.instance.profile = profile
            form.save()
        messages.success(request, _("Past disaster added."))
        return redirect(_page_url(city, "disasters"))
    if profile.pk is None:
        profile.city = city
    return _page(request, city, profile, disaster_form=form)


@access("city-assess")
@require_POST
def disaster_remove(request, slug, pk):
    city, profile = _editable(request, slug)
    disaster = get_object_or_404(PastDisaster, profile__city=city, pk=pk)
    disaster.delete()
    messages.success(request, _("Past disaster removed."))
    return redirect(_page_url(city, "disasters"))


@access("city-assess")
@require_http_methods(["GET", "POST"])
def import_view(request, slug):
    city, profile = _editable(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        profile.updated_by = request.user
        try:
            result = import_disasters(profile, form.cleaned_data["file"],
                                      replace=form.cleaned_data["replace"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if not result.errors:
                messages.success(request, _("%(count)s past disasters imported.")
                                 % {"count": len(result.rows)})
                return redirect(_page_url(city, "disasters"))
            errors = result.errors
    return render(request, "baselines/import.html", {
        "city": city, "profile": profile, "form": form, "errors": errors,
        "columns": COLUMNS,
    })


@access("city-edit")
@require_POST
def publish(request, slug):
    city = _city(slug)
    profile = BaselineProfile.objects.filter(city=city).first()
    if profile is None or not (scope_of(request.user).can_read_city(city) or profile.published):
        raise Http404(_("This baseline does not exist or is not published."))
    require_city_edit(request, city)
    profile.published = request.POST.get("published") == "1"
    _saved(profile, request.user)
    messages.success(request, _("Published.") if profile.published else _("Unpublished."))
    return redirect(_page_url(city))


# -- the workshop data sheet ----------------------------------------------------------------
def _pdf_response(html, filename):
    response = HttpResponse(pdf.html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@access("public")
def datasheet(request, slug):
    """The city's English data sheet for the 10-city workshop (A4 PDF)."""
    city = _city(slug)
    profile = _visible(request, city)
    if profile is None:
        raise Http404(_("This baseline does not exist or is not published."))
    profile.city = city
    with translation.override("en"):
        html = render_to_string("baselines/datasheet.html", {"sheets": [_sheet_context(profile)]})
    return _pdf_response(html, f"baseline-{city.slug}.pdf")


@access("public")
def network_datasheets(request, slug):
    """Every programme city's data sheet in one PDF, as the user may see them."""
    network = get_object_or_404(Network, slug=slug)
    profiles = list(BaselineProfile.objects.visible_to(request.user)
                    .filter(city__network=network, city__participation=City.Participation.PROGRAMME)
                    .select_related("city__network").order_by("city__name_en"))
    with translation.override("en"):
        html = render_to_string("baselines/datasheet.html", {
            "sheets": [_sheet_context(profile) for profile in profiles], "network": network})
    return _pdf_response(html, f"baselines-{network.slug}.pdf")
