"""The risk areas over the city boundary as inline SVG: offline, no tile server (the same
approach as apps.networks.maps, with several shapes in one frame)."""
from shapely.geometry import shape

from apps.dialogues.models import Hazard


def _rings(geometry):
    for polygon in getattr(geometry, "geoms", [geometry]):
        yield polygon.exterior.coords
        for interior in polygon.interiors:  # holes, drawn with fill-rule evenodd
            yield interior.coords


def risk_area_map(city, areas, size=320, numbered=True):
    """SVG paths of the city boundary and each area, scaled into one square box; None when
    there is nothing to draw. `areas` are RiskArea rows (their geometry was checked on save);
    `numbered` puts each area's number on it, for maps next to a numbered list."""
    boundary = shape(city.boundary) if city.boundary else None
    shapes = [(area, shape(area.geometry)) for area in areas]
    if boundary is None and not shapes:
        return None
    bounds = [g.bounds for g in ([boundary] if boundary else []) + [g for _a, g in shapes]]
    minx = min(b[0] for b in bounds)
    miny = min(b[1] for b in bounds)
    maxx = max(b[2] for b in bounds)
    maxy = max(b[3] for b in bounds)
    span = max(maxx - minx, maxy - miny) or 1
    pad = 10
    scale = (size - 2 * pad) / span
    # Centre the drawing in the box when it is wider than tall (or the reverse).
    offset_x = (size - 2 * pad - (maxx - minx) * scale) / 2
    offset_y = (size - 2 * pad - (maxy - miny) * scale) / 2

    def project(x, y):
        return (round(pad + offset_x + (x - minx) * scale, 1),
                round(size - pad - offset_y - (y - miny) * scale, 1))

    def path(geometry):
        return " ".join(
            "M" + " L".join("%s,%s" % project(x, y) for x, y, *_z in ring) + " Z"
            for ring in _rings(geometry)
        )

    drawn = []
    for number, (area, geometry) in enumerate(shapes, 1):
        label_x, label_y = project(*geometry.representative_point().coords[0])
        drawn.append({"area": area, "number": number, "path": path(geometry),
                      "hazard": area.hazard, "label_x": label_x, "label_y": label_y})
    hazards = list(dict.fromkeys(area.hazard for area, _g in shapes))
    return {
        "size": size,
        "numbered": numbered,
        "boundary": path(boundary) if boundary else None,
        "areas": drawn,
        "legend": [(hazard, Hazard(hazard).label) for hazard in hazards],
        # What the drawing tool needs to turn a click back into longitude and latitude.
        "frame": {"minx": minx, "miny": miny, "scale": scale, "pad": pad, "ox": offset_x,
                  "oy": offset_y},
    }
