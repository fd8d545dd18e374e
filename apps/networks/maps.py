"""A small offline map of a city's boundary as inline SVG (no tile server needed)."""
from shapely.geometry import shape


def boundary_svg(city, size=220):
    """SVG path data and the city point, scaled into a square box; None without a boundary."""
    if not city.boundary:
        return None
    geometry = shape(city.boundary)
    minx, miny, maxx, maxy = geometry.bounds
    span = max(maxx - minx, maxy - miny) or 1
    pad = 10
    scale = (size - 2 * pad) / span

    def project(x, y):
        return (round(pad + (x - minx) * scale, 1), round(size - pad - (y - miny) * scale, 1))

    polygons = getattr(geometry, "geoms", [geometry])
    paths = []
    for polygon in polygons:
        points = [project(x, y) for x, y in polygon.exterior.coords]
        paths.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
    point = None
    if city.longitude is not None and city.latitude is not None:
        point = project(float(city.longitude), float(city.latitude))
    return {"size": size, "path": " ".join(paths), "point": point}
