"""Risk areas and exposure layers from spatial files, and what each area exposes.

The files are read (format from content, invalid shapes repaired or refused, reprojected to
WGS 84) by apps.core.layers; this module turns a read layer into risk areas or an exposure
layer, and keeps `AreaExposure` (people or assets inside each risk area) up to date whenever an
area or a layer is added. Callers run it inside their transaction: all or nothing.
"""
from django.utils.translation import gettext as _
from shapely.geometry import shape

from apps.assessments.models import AreaExposure, ExposureLayer, RiskArea


def create_areas(assessment, layer, *, hazard, name_attribute=""):
    from apps.core.layers import to_geojson

    order = assessment.next_order(RiskArea.objects.filter(assessment=assessment))
    created = []
    for offset, feature in enumerate(layer.features):
        name = str(feature.properties.get(name_attribute) or "").strip() if name_attribute else ""
        name = name or _("Area %(number)s") % {"number": feature.number}
        created.append(RiskArea.objects.create(
            assessment=assessment, order=order + offset, name_th=name[:200], hazard=hazard,
            geometry=to_geojson(feature.geometry), source=RiskArea.Source.UPLOADED,
            note=(feature.note or "")[:300]))
    return created


def create_layer(assessment, layer, *, name, kind, attribute, unit, by):
    from apps.core.layers import to_geojson

    features = [{"type": "Feature", "geometry": to_geojson(f.geometry),
                 "properties": f.properties} for f in layer.features]
    return ExposureLayer.objects.create(
        assessment=assessment, name=name, kind=kind, attribute=attribute, unit=unit,
        features={"type": "FeatureCollection", "features": features},
        feature_count=len(features), uploaded_by=by)


def stored_layer(exposure_layer):
    """An apps.core.layers.Layer rebuilt from what an ExposureLayer stored."""
    from apps.core.layers import Feature, Layer

    features = [Feature(geometry=shape(f["geometry"]), properties=f.get("properties") or {},
                        number=n, repaired=False, note="")
                for n, f in enumerate(exposure_layer.features["features"], 1)]
    return Layer(features=features, format="geojson", source_crs="EPSG:4326",
                 layer_name=exposure_layer.name, warnings=[])


def refresh(assessment, *, areas=None, layers=None):
    """Recompute the exposure of `areas` (default all) to `layers` (default all)."""
    from apps.core.layers import exposure

    areas = list(areas if areas is not None else assessment.areas.all())
    layers = list(layers if layers is not None else assessment.exposure_layers.all())
    if not areas or not layers:
        return
    keyed = [(area.pk, shape(area.geometry)) for area in areas]
    for layer in layers:
        values = exposure(keyed, stored_layer(layer), layer.attribute)
        AreaExposure.objects.filter(layer=layer, area__in=areas).delete()
        AreaExposure.objects.bulk_create(
            AreaExposure(area_id=key, layer=layer, value=value) for key, value in values.items())
