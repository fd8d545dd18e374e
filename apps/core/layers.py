"""Read uploaded spatial layers (risk areas, population and asset layers) safely and exactly.

A city's risk areas and its population or asset layers come from whatever GIS the city's
engineers or the experts use: a GeoJSON export, a zipped Shapefile (the usual exchange format in
Thai municipalities, often in UTM zone 47N or 48N), or a GeoPackage. `read_layer` turns such an
upload into WGS 84 shapely geometries with JSON-safe attributes, or refuses it with a message
that names the feature and the place where it fails. Nothing is returned half-read: either every
feature is usable (possibly repaired, with a note saying what was wrong) or the whole upload is
refused with the list of bad features, so the calling view can save inside one transaction.

Why each check exists:

- Format from the content, not the name. Users rename files, and browsers send what the name
  says; a PNG called ``areas.gpkg`` must be reported as a PNG image, not as a broken
  GeoPackage deep inside GDAL. A name that promises one accepted format while the content is
  another (a ``.geojson`` that is really a ZIP) is refused too: the user is confused about what
  they are sending, and guessing for them would import something they did not mean.
- Size limit while reading, in chunks: a 2 GB upload is stopped after the limit, not stored and
  then measured.
- ZIP archives are opened only after their directory is checked: no member path with ``..`` or
  an absolute path (path traversal), no password-protected members, a bounded number of members,
  a bounded total uncompressed size and no absurd compression ratio (zip bombs). Members are then
  copied to fixed names in a temporary directory, counting bytes as they are written, because the
  directory can lie. The temporary directory is always removed.
- A Shapefile is several files: exactly one ``.shp`` (or the one named by ``layer_name``), with
  its ``.shx`` and ``.dbf``; without a ``.prj`` the projection is unknown, so WGS 84 is assumed
  only when every coordinate fits longitude/latitude (and a warning says so), otherwise refused:
  UTM metres taken as degrees would put the area in the wrong hemisphere or nowhere.
- A GeoPackage may hold several layers: the only layer of the wanted geometry is taken, or the
  upload is refused listing the layers, so we never pick the wrong one silently.
- Everything is reprojected to WGS 84 longitude/latitude (pyproj, ``always_xy``) from the
  declared CRS (UTM 47N EPSG:32647, Indian 1975, ...), then every coordinate must lie within
  -180..180 / -90..90.
- Invalid geometries (self-intersections, bow-ties, unclosed rings) are what hand-digitised
  layers contain; GEOS-based operations such as the exposure overlay fail or give wrong areas on
  them. With ``repair=True`` they are repaired with ``shapely.make_valid`` keeping only parts of
  the wanted type, and the feature carries a note with GEOS's reason and location; what cannot be
  repaired (empty after repair, a line in a polygon layer, no geometry) is rejected.
- Attributes become JSON-safe values (dates as ISO text, NaN as None, numpy numbers as Python
  numbers) because they are stored in JSON fields and sent to the browser.

`exposure` overlays areas with a point layer (sum of an attribute of the points inside) or a
polygon layer (area-weighted share of the attribute), measuring areas in an equal-area
projection (EPSG:6933): areas measured in square degrees shrink with latitude and are wrong.
"""
import base64
import datetime as dt
import json
import math
import os
import re
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely import validation
from shapely.geometry import shape

POLYGONS = ("Polygon", "MultiPolygon")
POINTS = ("Point", "MultiPoint")

MB = 1024 * 1024
CHUNK = MB
# Problems listed one by one in an error; the rest are counted ("and 37 more").
MAX_LISTED = 20
# ZIP limits, checked from the archive's directory before anything is extracted.
MAX_ZIP_MEMBERS = 1000
UNZIPPED_FACTOR = 10  # the unzipped archive may be at most this many times the upload limit
MAX_RATIO = 200  # deflate reaches ~1000:1 on bombs; real .dbf/.shp files stay far below
RATIO_FLOOR = 2 * MB  # small members with a high ratio (blank .dbf padding) are harmless
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
# Attributes that name a feature in messages, looked up without regard to case.
NAME_KEYS = ("name", "name_th", "name_en", "ชื่อ", "title", "label")
EQUAL_AREA = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global, equal-area, worldwide

EXTENSIONS = {".geojson": "geojson", ".json": "geojson", ".zip": "shapefile",
              ".gpkg": "geopackage"}
GEOJSON_TYPES = {"FeatureCollection", "Feature", "Point", "MultiPoint", "LineString",
                 "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}


class LayerError(ValidationError):
    """Why an upload or a drawn shape cannot be used; `problems` lists the bad features.

    With problems, `messages` is the summary followed by one line per feature (at most
    MAX_LISTED, then "and N more"), so a form shows them as a list under the file field.
    `problems` holds (number, name, reason) tuples for code that wants them structured.
    """

    def __init__(self, message, code="layer", problems=()):
        self.problems = list(problems)
        if self.problems:
            lines = [ValidationError(message, code=code)]
            lines += [ValidationError(problem_line(*p), code=code)
                      for p in self.problems[:MAX_LISTED]]
            hidden = len(self.problems) - MAX_LISTED
            if hidden > 0:
                lines.append(ValidationError(
                    ngettext("… and %(count)s more.", "… and %(count)s more.", hidden)
                    % {"count": hidden}, code=code))
            super().__init__(lines)
        else:
            super().__init__(message, code=code)
        self.code = code


@dataclass
class Feature:
    geometry: object  # shapely geometry in WGS 84, x = longitude, y = latitude
    properties: dict
    number: int  # 1-based position in the file
    repaired: bool = False
    note: str = ""

    @property
    def name(self):
        return feature_name(self.properties)


@dataclass
class Layer:
    features: list
    format: str  # "geojson" | "shapefile" | "geopackage"
    source_crs: str  # e.g. "EPSG:32647"
    layer_name: str
    warnings: list = field(default_factory=list)


class _Rejected(Exception):
    """One feature cannot be used; the reason is a translated sentence fragment."""


# --- messages -------------------------------------------------------------------------------

def feature_name(properties):
    lowered = {str(k).lower(): v for k, v in (properties or {}).items()}
    for key in NAME_KEYS:
        value = lowered.get(key)
        if value not in (None, "") and str(value).strip():
            return str(value).strip()
    return ""


def feature_label(number, name=""):
    if name:
        return _("Feature %(number)s (“%(name)s”)") % {"number": number, "name": name}
    return _("Feature %(number)s") % {"number": number}


def problem_line(number, name, reason):
    # Only placeholders and a colon: not a message of its own, so no msgid to translate.
    return f"{feature_label(number, name)}: {reason}"


def accepted_formats():
    return _("Accepted: a GeoJSON file, a zipped Shapefile (one .zip holding the .shp, .shx, "
             ".dbf and .prj files) or a GeoPackage (.gpkg).")


def _mb(size):
    return f"{size / MB:g}" if size % MB == 0 else f"{size / MB:.1f}"


def _type_names(types):
    return ", ".join(types)


# --- reading the upload ---------------------------------------------------------------------

def _save_bounded(uploaded, path, max_bytes, name):
    """Copy the upload to `path` in chunks, stopping as soon as it exceeds max_bytes."""
    too_big = LayerError(
        _("“%(name)s” is larger than the %(limit)s MB limit for a layer.")
        % {"name": name, "limit": _mb(max_bytes)}, code="too_large")
    size = getattr(uploaded, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise too_big
    if hasattr(uploaded, "seek"):
        try:
            uploaded.seek(0)
        except (OSError, ValueError):
            pass
    chunks = uploaded.chunks(CHUNK) if hasattr(uploaded, "chunks") else \
        iter(lambda: uploaded.read(CHUNK), b"")
    written = 0
    with open(path, "wb") as out:
        for chunk in chunks:
            if isinstance(chunk, str):
                chunk = chunk.encode()
            written += len(chunk)
            if written > max_bytes:
                raise too_big
            out.write(chunk)
    if written == 0:
        raise LayerError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    return written


def _describe_content(head):
    """What a file that is none of our formats looks like, for the refusal message."""
    signatures = [
        (b"\x89PNG", _("a PNG image")), (b"\xff\xd8\xff", _("a JPEG image")),
        (b"GIF8", _("a GIF image")), (b"%PDF", _("a PDF document")),
        (b"\x1f\x8b", _("a gzip archive")), (b"Rar!", _("a RAR archive")),
        (b"7z\xbc\xaf", _("a 7-Zip archive")),
        (b"\xd0\xcf\x11\xe0", _("an old Microsoft Office document (.xls or .doc)")),
        (b"\x00\x00\x27\x0a", _("the .shp part of a Shapefile alone")),
    ]
    for magic, what in signatures:
        if head.startswith(magic):
            return what
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return _("an XML or HTML document (KML and GML are not accepted)")
    if text.startswith(b"["):
        return _("JSON that is a list, not GeoJSON")
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
            return _("plain text")
        except UnicodeDecodeError:
            # A chunk boundary may cut a character; other Thai encodings are text too.
            if all(b >= 0x20 or b in b"\t\r\n" for b in head):
                return _("plain text")
    return _("an unrecognised binary file")


def _sniff(path, name):
    """The format from the first bytes; refuses anything else saying what it is."""
    with open(path, "rb") as f:
        head = f.read(512)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        kind, what = "shapefile", _("a ZIP archive")
    elif head.startswith(b"SQLite format 3\x00"):
        kind, what = "geopackage", _("an SQLite database (GeoPackage)")
    elif head.lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        kind, what = "geojson", _("JSON text (GeoJSON)")
    else:
        what = _describe_content(head)
        if head.startswith(b"\x00\x00\x27\x0a"):
            raise LayerError(
                _("“%(name)s” is only the .shp part of a Shapefile. A Shapefile is several "
                  "files: put the .shp, .shx, .dbf and .prj together in one .zip archive and "
                  "upload that.") % {"name": name}, code="format")
        raise LayerError(
            _("“%(name)s” is %(what)s, not a spatial layer.") % {"name": name, "what": what}
            + " " + accepted_formats(), code="format")
    claimed = EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if claimed and claimed != kind:
        names = {"geojson": _("GeoJSON"), "shapefile": _("a zipped Shapefile"),
                 "geopackage": _("a GeoPackage")}
        raise LayerError(
            _("“%(name)s” is named as %(claimed)s but its content is %(what)s. Rename it to "
              "what it is, or export it again.")
            % {"name": name, "claimed": names[claimed], "what": what}
            + " " + accepted_formats(), code="format")
    return kind


def _check_geojson(path, name):
    """JSON syntax (with line and column) and the GeoJSON top-level type, before GDAL."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            data = json.load(f)
    except UnicodeDecodeError:
        raise LayerError(_("“%(name)s” is not UTF-8 text; GeoJSON must be UTF-8.")
                         % {"name": name}, code="encoding") from None
    except json.JSONDecodeError as exc:
        raise LayerError(
            _("“%(name)s” is not valid JSON (line %(line)s, column %(col)s: %(reason)s).")
            % {"name": name, "line": exc.lineno, "col": exc.colno, "reason": exc.msg},
            code="json") from None
    except RecursionError:
        raise LayerError(_("“%(name)s” is nested too deeply to be GeoJSON.") % {"name": name},
                         code="json") from None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind not in GEOJSON_TYPES or (kind == "FeatureCollection"
                                     and not isinstance(data.get("features"), list)):
        raise LayerError(
            _("“%(name)s” is JSON but not GeoJSON: it needs a “type” of FeatureCollection, "
              "Feature or a geometry.") % {"name": name}, code="format")
    if kind == "FeatureCollection" and not data["features"]:
        raise LayerError(_("“%(name)s” has no features.") % {"name": name}, code="no_features")


def _unsafe_member(filename):
    name = filename.replace("\\", "/")
    return (name.startswith("/") or re.match(r"^[A-Za-z]:", name) is not None
            or ".." in name.split("/") or "\x00" in name)


def _ignored_member(info):
    parts = info.filename.replace("\\", "/").split("/")
    return info.is_dir() or "__MACOSX" in parts or parts[-1].startswith("._")


def _extract_shapefile(path, tmp, name, layer_name, max_unzipped):
    """Check the ZIP directory, choose the .shp and copy its parts to fixed names in tmp."""
    damaged = LayerError(_("“%(name)s” is a damaged ZIP archive.") % {"name": name},
                         code="zip")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise damaged from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise LayerError(
                _("“%(name)s” holds %(count)s files; at most %(max)s are accepted.")
                % {"name": name, "count": len(infos), "max": MAX_ZIP_MEMBERS}, code="zip")
        unsafe = [i.filename for i in infos if _unsafe_member(i.filename)]
        if unsafe:
            raise LayerError(
                _("“%(name)s” was refused: it holds files with unsafe paths (%(files)s). "
                  "Paths inside the archive may not contain “..” or start at the root.")
                % {"name": name, "files": ", ".join(unsafe[:5])}, code="zip_unsafe")
        if any(i.flag_bits & 0x1 for i in infos):
            raise LayerError(_("“%(name)s” is password-protected; upload it without a password.")
                             % {"name": name}, code="zip")
        total = sum(i.file_size for i in infos)
        bomb = LayerError(
            _("“%(name)s” was refused: unzipped it would exceed %(limit)s MB, or it is "
              "compressed far more than real map files are (a “zip bomb”).")
            % {"name": name, "limit": _mb(max_unzipped)}, code="zip_bomb")
        if total > max_unzipped:
            raise bomb
        if any(i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1)
               for i in infos):
            raise bomb

        members = [i for i in infos if not _ignored_member(i)]
        shps = [i for i in members if i.filename.lower().endswith(".shp")]
        listing = ", ".join(i.filename for i in members[:10]) + (", …" if len(members) > 10
                                                                  else "")
        if layer_name:
            wanted = [i for i in shps if _stem(i.filename).lower() == layer_name.lower()
                      or i.filename.lower() == layer_name.lower()]
            if not wanted:
                raise LayerError(
                    _("“%(name)s” has no Shapefile called “%(layer)s”; it holds: %(files)s.")
                    % {"name": name, "layer": layer_name,
                       "files": ", ".join(i.filename for i in shps) or listing}, code="layer")
            shps = wanted[:1]
        if not shps:
            names = {i.filename for i in members}
            if "[Content_Types].xml" in names:
                what = _("an Office document (such as .xlsx or .docx)")
                raise LayerError(
                    _("“%(name)s” is %(what)s, not a spatial layer.")
                    % {"name": name, "what": what} + " " + accepted_formats(), code="format")
            raise LayerError(
                _("“%(name)s” holds no Shapefile (.shp); it contains: %(files)s.")
                % {"name": name, "files": listing or _("nothing")}
                + " " + accepted_formats(), code="no_shp")
        if len(shps) > 1:
            raise LayerError(
                _("“%(name)s” holds %(count)s Shapefiles (%(files)s); only one is accepted per "
                  "upload. Put each in its own .zip archive.")
                % {"name": name, "count": len(shps),
                   "files": ", ".join(i.filename for i in shps)}, code="several_shp")
        shp = shps[0]
        stem = shp.filename[:-4].lower()
        parts = {}
        for info in members:
            base, ext = info.filename[:-4].lower(), info.filename[-4:].lower()
            if base == stem and ext in SHAPEFILE_PARTS:
                parts[ext] = info
        missing = [ext for ext in (".shx", ".dbf") if ext not in parts]
        if missing:
            raise LayerError(
                _("The Shapefile “%(shp)s” in “%(name)s” is missing its %(parts)s file(s); "
                  "zip all the files that share its name.")
                % {"shp": shp.filename, "name": name, "parts": " ".join(missing)},
                code="shp_parts")
        budget = max_unzipped
        for ext, info in parts.items():
            target = os.path.join(tmp, "layer" + ext)  # fixed names: nothing from the archive
            written = 0
            try:
                with archive.open(info) as source, open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        written += len(chunk)
                        budget -= len(chunk)
                        if written > info.file_size or budget < 0:
                            raise bomb
                        out.write(chunk)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError):
                raise damaged from None
            except NotImplementedError:
                raise LayerError(
                    _("“%(name)s” uses a compression method that is not supported; zip it "
                      "again with ordinary (deflate) compression.") % {"name": name},
                    code="zip") from None
        return os.path.join(tmp, "layer.shp"), _stem(shp.filename), set(parts)


def _stem(filename):
    return os.path.splitext(filename.replace("\\", "/").rsplit("/", 1)[-1])[0]


def _guess_dbf_encoding(meta, columns):
    """The encoding of a .dbf without a .cpg, when GDAL's Latin-1 default is visibly wrong.

    Old Thai Shapefiles (ArcView, MapInfo exports) store text as TIS-620/Windows-874 with no
    .cpg; GDAL then reads it as Latin-1 and Thai names come out as "µÅÒ´". The same bytes are
    tried as UTF-8 (strict), then as Windows-874, which leaves several bytes undefined.
    """
    if str(meta.get("encoding", "")).upper() not in ("ISO-8859-1", "LATIN1"):
        return None
    texts = [v for column in columns if column.dtype == object
             for v in column if isinstance(v, str) and not v.isascii()]
    if not texts:
        return None
    try:
        raw = "\n".join(texts).encode("latin-1")
    except UnicodeEncodeError:
        return None
    for candidate in ("UTF-8", "CP874"):
        try:
            decoded = raw.decode(candidate)
        except UnicodeDecodeError:
            continue
        if candidate == "UTF-8" or re.search(r"[\u0E01-\u0E5B]", decoded):
            return candidate
    return None


def _families(types):
    return {t.replace("Multi", "") for t in types}


def _pick_gpkg_layer(path, name, geometry_types, layer_name):
    try:
        layers = [(str(n), t) for n, t in _quiet(pyogrio.list_layers, path)]
    except Exception as exc:  # GDAL raises several error types for unreadable files
        raise LayerError(
            _("“%(name)s” could not be read as a GeoPackage: %(detail)s")
            % {"name": name, "detail": exc}, code="unreadable") from None
    spatial = [(n, t) for n, t in layers if t]
    described = ", ".join(f"{n} ({t})" for n, t in spatial)
    if layer_name:
        if layer_name not in [n for n, _t in spatial]:
            raise LayerError(_("“%(name)s” has no layer called “%(layer)s”; its layers are: "
                               "%(layers)s.") % {"name": name, "layer": layer_name,
                                                 "layers": described or _("none")},
                             code="layer")
        return layer_name
    if not spatial:
        raise LayerError(_("“%(name)s” holds no layer with geometries.") % {"name": name},
                         code="no_features")
    if len(spatial) == 1:
        return spatial[0][0]
    wanted = _families(geometry_types)
    matching = [n for n, t in spatial
                if t.split(" ")[0].replace("Multi", "") in wanted]
    if len(matching) == 1:
        return matching[0]
    raise LayerError(
        _("“%(name)s” holds several layers (%(layers)s); it must hold a single layer of "
          "%(types)s. Choose one, or export that layer alone.")
        % {"name": name, "layers": described, "types": _type_names(geometry_types)},
        code="several_layers")


def _quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL's warnings are turned into our own messages
        return function(*args, **kwargs)


# --- geometry checks ------------------------------------------------------------------------

def _reprojector(transformer):
    def project(geometry):
        def xy(coords):
            x, y = transformer.transform(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])
        return shapely.transform(geometry, xy)
    return project


def _keep_type(geometry, geometry_types):
    """The parts of `geometry` of the wanted kinds, as one geometry (or None if none)."""
    parts = shapely.get_parts(shapely.get_parts(geometry))
    wanted = _families(geometry_types)
    kept = [p for p in parts if p.geom_type.replace("Multi", "") in wanted and not p.is_empty]
    if not kept:
        return None, len(parts) > 0
    dropped = len(kept) < len(parts)
    if len(kept) == 1:
        return kept[0], dropped
    family = kept[0].geom_type.replace("Multi", "")
    if any(p.geom_type != family for p in kept):
        return None, dropped
    multi = {"Polygon": shapely.MultiPolygon, "LineString": shapely.MultiLineString,
             "Point": shapely.MultiPoint}[family]
    return multi(kept), dropped


def _where(reason, project):
    """GEOS's reason, with the location also in lon/lat when the source is projected."""
    if project is None:
        return reason
    found = re.search(r"\[([-+\deE.]+) ([-+\deE.]+)\]", reason)
    if not found:
        return reason
    point = project(shapely.Point(float(found[1]), float(found[2])))
    return _("%(reason)s, at longitude %(lon).5f, latitude %(lat).5f") % {
        "reason": reason, "lon": point.x, "lat": point.y}


def _repair(geometry, geometry_types, repair, project=None, notes=()):
    """Repair or reject one geometry in its own CRS; return (geometry, notes).

    `project` only serves to give the failure's location in lon/lat too.
    """
    notes = list(notes)
    if geometry is None:
        raise _Rejected(_("has no geometry"))
    if geometry.is_empty:
        raise _Rejected(_("has an empty geometry"))
    accepted = _type_names(geometry_types)
    if geometry.geom_type not in geometry_types and not (
            repair and geometry.geom_type == "GeometryCollection"):
        raise _Rejected(_("is a %(type)s; only %(accepted)s are accepted")
                        % {"type": geometry.geom_type, "accepted": accepted})
    if not geometry.is_valid or geometry.geom_type == "GeometryCollection":
        reason = _where(validation.explain_validity(geometry), project)
        if geometry.geom_type == "GeometryCollection":
            reason = _("a collection of several geometry types")
        if not repair:
            raise _Rejected(_("is not a valid shape: %(reason)s") % {"reason": reason})
        fixed, dropped = _keep_type(shapely.make_valid(geometry), geometry_types)
        if fixed is None or fixed.is_empty or fixed.geom_type not in geometry_types:
            raise _Rejected(_("is not a valid shape (%(reason)s) and could not be repaired: "
                              "nothing of type %(accepted)s is left")
                            % {"reason": reason, "accepted": accepted})
        geometry = fixed
        notes.append(_("Repaired: %(reason)s.") % {"reason": reason})
        if dropped:
            notes.append(_("Lines or points left over by the repair were dropped."))
    return geometry, notes


def _finish(geometry, geometry_types, notes, projected):
    """Checks on the WGS 84 geometry: still valid after reprojection, within lon/lat."""
    if projected and not geometry.is_valid:  # reprojection can fold a near-degenerate ring
        fixed, _dropped = _keep_type(shapely.make_valid(geometry), geometry_types)
        if fixed is None or fixed.geom_type not in geometry_types:
            raise _Rejected(_("is not a valid shape after reprojection to WGS 84"))
        geometry = fixed
        notes = [*notes, _("Repaired after reprojection to WGS 84.")]
    coords = shapely.get_coordinates(geometry)
    if not _fits_lonlat(coords):
        minx, miny, maxx, maxy = geometry.bounds
        raise _Rejected(
            _("has coordinates outside longitude -180 to 180 and latitude -90 to 90 "
              "(x from %(minx)s to %(maxx)s, y from %(miny)s to %(maxy)s)")
            % {"minx": _num(minx), "maxx": _num(maxx), "miny": _num(miny), "maxy": _num(maxy)})
    return geometry, bool(notes), " ".join(notes)


def _num(value):
    return f"{value:.10g}" if math.isfinite(value) else str(value)


def _fits_lonlat(coords):
    if len(coords) == 0:
        return True
    x, y = coords[:, 0], coords[:, 1]
    return bool(np.isfinite(coords).all() and x.min() >= -180 and x.max() <= 180
                and y.min() >= -90 and y.max() <= 90)


def _decode(wkb, repair):
    """WKB to shapely; an unclosed ring is closed (repair) or rejected. Returns (geom, notes)."""
    if wkb is None:
        return None, []
    try:
        return shapely.from_wkb(wkb), []
    except shapely.errors.GEOSException:
        pass
    if repair:
        fixed = shapely.from_wkb(wkb, on_invalid="fix")
        if fixed is not None and not fixed.is_empty:
            return fixed, [_("A ring was not closed; it was closed.")]
    raise _Rejected(_("has a ring that is not closed or coordinates that are malformed"))


def _json_safe(value):
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(np.datetime_as_string(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_json_safe(v) for v in value]
    return str(value)


def _crs_label(crs):
    authority = crs.to_authority(min_confidence=70)
    return f"{authority[0]}:{authority[1]}" if authority else crs.name


# --- public API -----------------------------------------------------------------------------

def read_layer(uploaded, *, geometry_types=POLYGONS, max_bytes=None, max_features=5000,
               repair=True, layer_name=None, encoding=None, max_unzipped_bytes=None):
    """Read an uploaded GeoJSON, zipped Shapefile or GeoPackage into a WGS 84 `Layer`.

    `uploaded` is a Django UploadedFile or any file-like object with `.name` and `.read()`.
    `layer_name` chooses a Shapefile inside a ZIP (by its name without .shp) or a GeoPackage
    layer; `encoding` overrides the attribute encoding (e.g. "cp874" for an old Thai .dbf
    without a .cpg). Raises LayerError; never returns part of a file.
    """
    max_bytes = settings.DATA_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    max_unzipped = max_unzipped_bytes or UNZIPPED_FACTOR * max_bytes
    name = os.path.basename(str(getattr(uploaded, "name", "") or "")) or _("the file")
    with tempfile.TemporaryDirectory(prefix="workbench-layer-") as tmp:
        raw_path = os.path.join(tmp, "upload")
        _save_bounded(uploaded, raw_path, max_bytes, name)
        kind = _sniff(raw_path, name)
        parts = {".prj", ".cpg"}
        if kind == "shapefile":
            path, source_layer, parts = _extract_shapefile(
                raw_path, tmp, name, layer_name, max_unzipped)
            read_as = None
        elif kind == "geopackage":
            path = raw_path + ".gpkg"
            os.rename(raw_path, path)
            read_as = source_layer = _pick_gpkg_layer(path, name, geometry_types, layer_name)
        else:
            _check_geojson(raw_path, name)
            path = raw_path + ".geojson"
            os.rename(raw_path, path)
            read_as, source_layer = None, os.path.splitext(name)[0]

        def read(encoding):
            try:
                return _quiet(pyogrio.raw.read, path, layer=read_as, force_2d=True,
                              max_features=max_features + 1, datetime_as_string=True,
                              encoding=encoding)
            except Exception as exc:  # GDAL raises several error types for unreadable files
                raise LayerError(_("“%(name)s” could not be read: %(detail)s")
                                 % {"name": name, "detail": exc}, code="unreadable") from None

        meta, _fids, geometries, columns = read(encoding)
        guessed = None
        if kind == "shapefile" and encoding is None and ".cpg" not in parts:
            guessed = _guess_dbf_encoding(meta, columns)
            if guessed:
                meta, _fids, geometries, columns = read(guessed)
    # The temporary files are gone from here on; everything below works in memory.
    count = len(geometries)
    if count == 0:
        raise LayerError(_("“%(name)s” has no features.") % {"name": name}, code="no_features")
    if count > max_features:
        raise LayerError(_("“%(name)s” has more than %(max)s features, the most accepted in "
                           "one layer.") % {"name": name, "max": max_features},
                         code="too_many_features")
    fields = [str(f) for f in meta["fields"]]
    rows = [{f: _json_safe(column[i]) for f, column in zip(fields, columns)}
            for i in range(count)]

    problems, decoded = [], []
    for i, wkb in enumerate(geometries):
        try:
            decoded.append(_decode(wkb, repair))
        except _Rejected as rejected:
            problems.append((i + 1, feature_name(rows[i]), str(rejected)))
            decoded.append((None, None))

    notices = []
    if guessed:
        notices.append(_("The Shapefile has no .cpg file saying how its text is encoded; it "
                         "was read as %(encoding)s.")
                        % {"encoding": _("Thai (TIS-620 / Windows-874)") if guessed == "CP874"
                           else "UTF-8"})
    project = None
    if meta.get("crs"):
        try:
            crs = CRS.from_user_input(meta["crs"])
        except CRSError:
            raise LayerError(_("“%(name)s” declares a coordinate reference system that is not "
                               "understood: %(crs)s") % {"name": name, "crs": meta["crs"]},
                             code="crs") from None
        source_crs = _crs_label(crs)
        if not crs.equals(CRS.from_epsg(4326), ignore_axis_order=True):
            project = _reprojector(Transformer.from_crs(crs, "EPSG:4326", always_xy=True))
            notices.append(_("Reprojected from %(crs)s to WGS 84 (longitude/latitude).")
                           % {"crs": source_crs})
    else:
        present = [g for g, _n in decoded if g is not None]
        coords = shapely.get_coordinates(present) if present else np.empty((0, 2))
        where = (_("it has no .prj file") if kind == "shapefile" and ".prj" not in parts
                 else _("it declares no coordinate reference system"))
        if not _fits_lonlat(coords):
            outside = coords[(np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)]
            example = outside[0] if len(outside) else coords[0]
            raise LayerError(
                _("The projection of “%(name)s” is unknown: %(where)s and its coordinates "
                  "(e.g. %(x)s, %(y)s) are not longitude and latitude. Export it again with its "
                  "projection (.prj), or in WGS 84.")
                % {"name": name, "where": where, "x": _num(example[0]),
                   "y": _num(example[1])}, code="crs")
        source_crs = "EPSG:4326"
        notices.append(_("The projection is not given (%(where)s); the coordinates are "
                         "longitude and latitude, so WGS 84 was assumed.") % {"where": where})

    features, candidates = [], []
    for i, (geometry, notes) in enumerate(decoded):
        if notes is None:
            continue  # already rejected while decoding
        try:
            candidates.append((i, *_repair(geometry, geometry_types, repair, project, notes)))
        except _Rejected as rejected:
            problems.append((i + 1, feature_name(rows[i]), str(rejected)))
    if project is not None and candidates:  # one call for all features: pyproj is vectorised
        projected = project(np.array([g for _i, g, _n in candidates], dtype=object))
        candidates = [(i, g, n) for (i, _g, n), g in zip(candidates, projected)]
    for i, geometry, notes in candidates:
        try:
            geometry, was_repaired, note = _finish(geometry, geometry_types, notes,
                                                   project is not None)
        except _Rejected as rejected:
            problems.append((i + 1, feature_name(rows[i]), str(rejected)))
            continue
        features.append(Feature(geometry=geometry, properties=rows[i], number=i + 1,
                                repaired=was_repaired, note=note))
    if problems:
        problems.sort()
        raise LayerError(
            ngettext("%(count)s feature of “%(name)s” cannot be used, so nothing was imported:",
                     "%(count)s features of “%(name)s” cannot be used, so nothing was imported:",
                     len(problems)) % {"count": len(problems), "name": name},
            code="invalid_features", problems=problems)
    count = sum(f.repaired for f in features)
    if count:
        notices.append(ngettext("%(count)s feature was repaired; its note says how.",
                                "%(count)s features were repaired; their notes say how.",
                                count) % {"count": count})
    return Layer(features=features, format=kind, source_crs=source_crs,
                 layer_name=str(source_layer), warnings=notices)


def read_geojson_geometry(value, *, geometry_types=POLYGONS, repair=True):
    """The shape drawn in the browser (GeoJSON text or dict, Feature or geometry) as shapely.

    Same repair-or-reject rules as `read_layer`; coordinates must be WGS 84 lon/lat.
    An empty value raises too: callers with an optional shape test for it first.
    """
    label = _("The drawn shape")
    if value in (None, "", {}):
        raise LayerError(_("No shape was drawn."), code="empty")
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise LayerError(
                _("The drawn shape is not valid JSON (line %(line)s, column %(col)s).")
                % {"line": exc.lineno, "col": exc.colno}, code="json") from None
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise LayerError(_("Draw exactly one shape."), code="count")
        value = features[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in geometry_types:
        raise LayerError(_("The drawn shape must be a GeoJSON geometry of type %(types)s.")
                         % {"types": _type_names(geometry_types)}, code="type")
    try:
        geometry = shape(value)
    except Exception:  # shapely raises several types for malformed coordinates
        raise LayerError(_("The drawn shape's coordinates are malformed."),
                         code="coordinates") from None
    try:
        geometry, notes = _repair(geometry, geometry_types, repair)
        geometry, _repaired, _note = _finish(geometry, geometry_types, notes, False)
    except _Rejected as rejected:
        raise LayerError(f"{label}: {rejected}", code="invalid_geometry") from None
    return geometry


def to_geojson(geometry):
    """A GeoJSON geometry dict (lists, not tuples) for a JSONField."""
    return json.loads(shapely.to_geojson(geometry))


def _number(value):
    """A float from a numeric attribute (numbers, or text such as "1,234.5"); None if not."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def exposure(areas, layer, attribute):
    """How much of `attribute` lies in each area: {key: total}.

    Points: the sum over the points inside the area (a point on its edge counts; areas may
    overlap, each is measured on its own; a MultiPoint counts for the share of its points
    inside). Polygons: each feature contributes its value times the share of its area inside,
    measured in an equal-area projection (EPSG:6933).
    """
    available = sorted({k for f in layer.features for k in f.properties})
    if not any(attribute in f.properties for f in layer.features):
        raise LayerError(
            _("The layer has no attribute “%(attribute)s”; its attributes are: %(fields)s.")
            % {"attribute": attribute, "fields": ", ".join(available) or _("none")},
            code="attribute")
    values, problems = [], []
    for feature in layer.features:
        raw = feature.properties.get(attribute)
        number = _number(raw)
        if attribute not in feature.properties:
            reason = _("has no attribute “%(attribute)s”") % {"attribute": attribute}
        elif raw is None or raw == "":
            reason = _("has no value for “%(attribute)s”") % {"attribute": attribute}
        elif number is None:
            reason = _("has “%(value)s” in “%(attribute)s”, which is not a number") % {
                "value": raw, "attribute": attribute}
        elif number < 0:
            reason = _("has a negative “%(attribute)s” (%(value)s)") % {
                "value": raw, "attribute": attribute}
        else:
            values.append(number)
            continue
        problems.append((feature.number, feature.name, reason))
    if problems:
        raise LayerError(
            ngettext("%(count)s feature has no usable “%(attribute)s”:",
                     "%(count)s features have no usable “%(attribute)s”:", len(problems))
            % {"count": len(problems), "attribute": attribute},
            code="attribute", problems=problems)

    families = {f.geometry.geom_type.replace("Multi", "") for f in layer.features}
    if families - {"Point"} and families - {"Polygon"}:
        raise LayerError(_("Exposure is computed from a layer of points or of polygons, "
                           "not of %(types)s.") % {"types": ", ".join(sorted(families))},
                         code="layer_type")
    to_equal_area = _reprojector(Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True))
    geometries = list(to_equal_area(np.array([f.geometry for f in layer.features],
                                             dtype=object)))
    tree = shapely.STRtree(geometries)
    result = {}
    for key, area in areas:
        area = to_equal_area(area)
        if not area.is_valid:
            area = shapely.make_valid(area)
        total = 0.0
        if families == {"Point"}:
            for index in tree.query(area, predicate="intersects"):
                points = shapely.get_parts(geometries[index])
                inside = shapely.covers(area, points).sum()
                total += values[index] * inside / len(points)
        elif families:
            for index in tree.query(area, predicate="intersects"):
                whole = geometries[index].area
                if whole > 0:
                    total += values[index] * area.intersection(geometries[index]).area / whole
        result[key] = total
    return result
