"""GeoJSON checks for city boundaries, with the reason and the place where a shape fails."""
import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely import validation
from shapely.geometry import shape


def clean_polygon(value):
    """Return a GeoJSON Polygon/MultiPolygon dict, or raise a ValidationError saying why not."""
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("The boundary is not valid JSON (line %(line)s, column %(col)s).")
                % {"line": exc.lineno, "col": exc.colno},
                code="json",
            ) from None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(
            _("The boundary must be a GeoJSON Polygon or MultiPolygon."), code="type"
        )
    try:
        geometry = shape(value)
    except Exception:  # shapely raises several types for malformed coordinates
        raise ValidationError(
            _("The boundary's coordinates are malformed."), code="coordinates"
        ) from None
    if geometry.is_empty:
        raise ValidationError(_("The boundary is empty."), code="empty")
    if not geometry.is_valid:
        raise ValidationError(
            _("The boundary is not a valid polygon: %(reason)s.")
            % {"reason": validation.explain_validity(geometry)},
            # Not "invalid": a form field would swap its own "Enter a valid JSON." in.
            code="invalid_geometry",
        )
    minx, miny, maxx, maxy = geometry.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise ValidationError(
            _("The boundary's coordinates must be longitude and latitude in WGS 84."),
            code="crs",
        )
    return value
