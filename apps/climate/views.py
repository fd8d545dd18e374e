"""Pages of the climate evidence engine. Reading follows the station's publish flag (404 to
those who may not read it, exactly like a missing one); uploading, analysing and publishing
are assessment work ("city-assess": the city's coordinators and experts, the national
coordinator)."""
from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.scope import scope_of
from apps.climate import charts
from apps.climate.forms import AnalysisForm, StationForm, UploadForm
from apps.climate.imports import ImportRefused, import_series
from apps.climate.models import Analysis, SeriesUpload, Station
from apps.climate.tasks import start_analysis
from apps.core.access import access, require
from apps.networks.models import City


# -- lookups ----------------------------------------------------------------------------------
def _city(slug):
    return get_object_or_404(City.objects.select_related("network"), slug=slug)


def _assessable_city(request, slug):
    """The city, if the user may do its assessment work: 404 when they may not even read the
    city's private records, 403 when they may read but not change them."""
    city = _city(slug)
    scope = scope_of(request.user)
    if not scope.can_assess_city(city):
        if not scope.can_read_city(city):
            raise Http404(_("This page does not exist."))
        require(False)
    return city


def _station(request, slug, pk):
    city = _city(slug)
    station = Station.objects.visible_to(request.user).filter(city=city, pk=pk).first()
    if station is None:
        raise Http404(_("This station does not exist or is not published."))
    station.city = city
    return station


def _assessable(request, slug, pk):
    station = _station(request, slug, pk)
    require(scope_of(request.user).can_assess_city(station.city))
    return station


def _analysis(station, pk):
    analysis = get_object_or_404(Analysis.objects.filter(station=station), pk=pk)
    analysis.station = station
    return analysis


# -- stations ---------------------------------------------------------------------------------
@access("public")
def stations(request, slug):
    city = _city(slug)
    rows = list(Station.objects.visible_to(request.user).filter(city=city)
                .with_coverage().with_latest_analysis())
    can_assess = scope_of(request.user).can_assess_city(city)
    return render(request, "climate/stations.html", {
        "city": city, "stations": rows, "can_assess": can_assess,
    })


@access("city-assess")
def station_new(request, slug):
    city = _assessable_city(request, slug)
    form = StationForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        station = form.save()
        messages.success(request, _("Station added. Upload its daily series next."))
        return redirect(station.get_absolute_url())
    return render(request, "climate/station_form.html", {"city": city, "form": form})


@access("city-assess")
def station_edit(request, slug, pk):
    station = _assessable(request, slug, pk)
    form = StationForm(request.POST or None, instance=station, city=station.city)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Station saved."))
        return redirect(station.get_absolute_url())
    return render(request, "climate/station_form.html",
                  {"city": station.city, "station": station, "form": form})


@access("city-assess")
@require_POST
def publish(request, slug, pk):
    station = _assessable(request, slug, pk)
    station.published = request.POST.get("published") == "1"
    station.save(update_fields=["published"])
    messages.success(request, _("Published.") if station.published else _("Unpublished."))
    return redirect(station.get_absolute_url())


def _station_page(request, station, upload_form=None, analysis_form=None):
    city = station.city
    can_assess = scope_of(request.user).can_assess_city(city)
    coverage = station.yearly_coverage()
    return render(request, "climate/station.html", {
        "city": city,
        "station": station,
        "coverage": coverage,
        "total_days": sum(row["days"] for row in coverage),
        "total_missing": sum(row["missing"] for row in coverage),
        "uploads": list(station.uploads.select_related("uploaded_by")[:50]),
        "analyses": list(station.analyses.select_related("created_by")[:50]),
        "can_assess": can_assess,
        "upload_form": upload_form or (UploadForm() if can_assess else None),
        "analysis_form": analysis_form or (AnalysisForm() if can_assess and coverage else None),
    })


@access("public")
def station(request, slug, pk):
    return _station_page(request, _station(request, slug, pk))


# -- uploads ----------------------------------------------------------------------------------
@access("city-assess")
def upload(request, slug, pk):
    station = _assessable(request, slug, pk)
    if request.method != "POST":
        return redirect(station.get_absolute_url() + "#upload")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _station_page(request, station, upload_form=form)
    uploaded = form.cleaned_data["file"]
    try:
        saved = import_series(station, uploaded, uploaded.name, request.user,
                              mode=form.cleaned_data["mode"])
    except ImportRefused as refused:
        return render(request, "climate/upload_refused.html", {
            "city": station.city, "station": station, "refused": refused,
            "filename": uploaded.name, "form": UploadForm(initial=form.cleaned_data),
        })
    messages.success(request, _("%(rows)s days imported.") % {"rows": saved.rows})
    return redirect("climate:upload-detail", station.city.slug, station.pk, saved.pk)


@access("public")
def upload_detail(request, slug, pk, upload):
    station = _station(request, slug, pk)
    item = get_object_or_404(SeriesUpload.objects.filter(station=station)
                             .select_related("uploaded_by"), pk=upload)
    return render(request, "climate/upload.html", {
        "city": station.city, "station": station, "upload": item,
        "can_assess": scope_of(request.user).can_assess_city(station.city),
    })


@access("public")
def upload_file(request, slug, pk, upload):
    """The file as uploaded, through the same visibility check as its station."""
    station = _station(request, slug, pk)
    item = get_object_or_404(SeriesUpload.objects.filter(station=station), pk=upload)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename)


# -- analyses ---------------------------------------------------------------------------------
@access("city-assess")
@require_POST
def analyse(request, slug, pk):
    station = _assessable(request, slug, pk)
    form = AnalysisForm(request.POST)
    if not station.observations.exists():
        messages.error(request, _("Upload the station's daily series first."))
        return redirect(station.get_absolute_url())
    if not form.is_valid():
        return _station_page(request, station, analysis_form=form)
    analysis = start_analysis(station, request.user, **form.cleaned_data)
    messages.success(request, _("The analysis has started."))
    return redirect(reverse("climate:analysis", args=[station.city.slug, station.pk,
                                                      analysis.pk]))


@access("public")
def analysis(request, slug, pk, analysis):
    station = _station(request, slug, pk)
    item = _analysis(station, analysis)
    return render(request, "climate/analysis.html", {
        "city": station.city, "station": station, "analysis": item,
        "view": charts.AnalysisView(item) if item.status == Analysis.Status.DONE else None,
        "can_assess": scope_of(request.user).can_assess_city(station.city),
    })


@access("public")
def analysis_status(request, slug, pk, analysis):
    """What the progress bar polls."""
    item = _analysis(_station(request, slug, pk), analysis)
    return JsonResponse({
        "status": item.status, "status_label": item.get_status_display(),
        "progress": item.progress, "stage": item.stage,
        "stage_label": item.get_stage_display(), "error": item.error_message,
    })
