"""The fault corpus: one generator per kind of broken input, applied to a small valid data folder.

:func:`base_folder` writes a valid folder (the tiny world of :func:`helpers.export_world`,
with a lake, a world basemap, a second route and the tiny claims file). Each :class:`Fault`
breaks one file of a copy of it in one way, and says which file the message must name and a
pattern the message must match. The corpus covers the kinds of broken input found in testing
(issue 13: encoding, byte order marks, empty and header-only files, the wrong JSON type, a
projected CRS, self-crossing lines, text where a list is expected, a folder in place of a file,
a claims file broken by a line break in a comment), a lifecycle with a repeated or an
operational construction start (issue 21) and every earlier validation case.

``tests/test_faults.py`` runs every data-reading CLI command against every fault.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from helpers import ROOT, export_world, lifecycle_event
from pyproj import Transformer

TINY_CLAIMS = ROOT / "tests" / "data" / "claims-tiny" / "tiny-article.yaml"
BAD_CLAIMS = sorted((ROOT / "tests" / "data" / "claims-bad").glob("*.yaml"))
CLAIMS_FILE = "claims/tiny-article.yaml"

#: Files each command reads (besides the optional ones it can do without).
BASE = ("borders.geojson", "places.csv")
NETWORK = (*BASE, "segments.geojson", "water.geojson", "references.yaml", "traced.yaml")
ROUTES = (*NETWORK, "routes.yaml", "assumptions.yaml")
CLAIMS = (*ROUTES, CLAIMS_FILE)
READS = {
    "places": BASE,
    "segments": NETWORK,
    "routes": ROUTES,
    "compare": ROUTES,  # the sections of routes.yaml a path walks
    "claims": CLAIMS,
    "snapshot": (*CLAIMS, "basemap.geojson"),
    "export": CLAIMS,
    "timeline": (*BASE, "segments.geojson", "routes.yaml"),
    "change": ROUTES,
}


def base_folder(folder: Path) -> Path:
    """A valid data folder with every file the commands read (assumptions: simple test values)."""
    export_world(folder)
    (folder / "claims").mkdir()
    shutil.copy(TINY_CLAIMS, folder / CLAIMS_FILE)
    shutil.copy(ROOT / "data" / "assumptions.yaml", folder / "assumptions.yaml")
    return folder


@dataclass(frozen=True)
class Fault:
    """One kind of broken input: ``make(folder)`` breaks ``file`` of a valid data folder."""

    name: str
    file: str
    make: Callable[[Path], None]
    expect: str  # a regular expression the error message matches


# ---------------------------------------------------------------------------------------------
# Small tools


def _json(folder: Path, name: str) -> dict:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def _write_json(folder: Path, name: str, doc: object) -> None:
    (folder / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _edit_features(name: str, change: Callable[[list], None]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        doc = _json(folder, name)
        change(doc["features"])
        _write_json(folder, name, doc)
    return make


def _segment(sid: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    """Change one segment feature (its properties and geometry) of segments.geojson."""
    def edit(features: list) -> None:
        change(next(f for f in features if f["properties"]["id"] == sid))
    return _edit_features("segments.geojson", edit)


def _props(sid: str, **values) -> Callable[[Path], None]:
    return _segment(sid, lambda f: f["properties"].update(values))


def _places(change: Callable[[list[str]], list[str]]) -> Callable[[Path], None]:
    """Change places.csv line by line (header first)."""
    def make(folder: Path) -> None:
        path = folder / "places.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")
    return make


def _place_field(pid: str, field: str, value: str) -> Callable[[Path], None]:
    def change(lines: list[str]) -> list[str]:
        header = lines[0].split(",")
        out = [lines[0]]
        for line in lines[1:]:
            cells = line.split(",")
            if cells[0] == pid:
                cells[header.index(field)] = value
            out.append(",".join(cells))
        return out
    return _places(change)


def _routes(change: Callable[[dict], object]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / "routes.yaml"
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(change(doc), allow_unicode=True), encoding="utf-8")
    return make


def _route(**values) -> Callable[[Path], None]:
    def change(doc: dict) -> dict:
        doc["routes"][0].update(values)
        return doc
    return _routes(change)


def _claims(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / CLAIMS_FILE
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(doc)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return make


def _bytes(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(data)


def _latin1(name: str) -> Callable[[Path], None]:
    """Re-encode the file as Latin-1 with one accented letter in its first text value."""
    def make(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for plain in ("Mid", "Aland", "West to East", "Test Lake", "Zland", "Test Gazette",
                      "Rail"):
            if plain in text:
                text = text.replace(plain, plain[0] + "ï" + plain[2:], 1)
                break
        else:  # pragma: no cover - every file has one of them
            raise AssertionError(name)
        path.write_bytes(text.encode("latin-1", errors="replace"))
    return make


def _utf16(name: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / name
        path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    return make


def _folder_instead(name: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()
    return make


def _delete(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def _to_3857(features: list) -> None:
    fwd = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)

    def walk(coords):
        if coords and isinstance(coords[0], int | float):
            return list(fwd.transform(*coords[:2]))
        return [walk(c) for c in coords]

    for feat in features:
        feat["geometry"]["coordinates"] = walk(feat["geometry"]["coordinates"])


def _projected(name: str, *, with_crs: bool) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        doc = _json(folder, name)
        _to_3857(doc["features"])
        if with_crs:
            doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
        _write_json(folder, name, doc)
    return make


def _old_claims_save(folder: Path) -> None:
    """A claims file as the old save_claims wrote it with a publication holding a line break:
    the break ended the header comment, so the file is not YAML."""
    path = folder / CLAIMS_FILE
    body = path.read_text(encoding="utf-8").split("article:", 1)[1]
    header = "# Claims recorded from Reuters\nLondon (news); saved by Corridor Explorer.\n"
    path.write_text(header + "article:" + body, encoding="utf-8")


def _bad_claims_file(bad: Path) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / CLAIMS_FILE).unlink()
        shutil.copy(bad, folder / "claims" / "tiny-article.yaml")
    return make


def _deep_json(folder: Path) -> None:
    (folder / "segments.geojson").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")


BOWTIE = {"type": "Polygon", "coordinates": [[[2, 0], [3, 1], [3, 0], [2, 1], [2, 0]]]}


def _features_of(name: str, features: object) -> Callable[[Path], None]:
    return lambda folder: _write_json(folder, name, {"type": "FeatureCollection",
                                                     "features": features})


# ---------------------------------------------------------------------------------------------
# The corpus

ENCODING = [
    *(Fault(f"{n.split('.')[0].replace('/', '-')}-latin1", n, _latin1(n),
            r"is not UTF-8 text: byte 0x[0-9A-F]{2} at byte offset \d+ \(line \d+")
      for n in ("places.csv", "segments.geojson", "borders.geojson", "routes.yaml",
                "water.geojson", "basemap.geojson", CLAIMS_FILE)),
    Fault("places-utf16", "places.csv", _utf16("places.csv"), r"is UTF-16 text \(it starts with"),
    Fault("routes-utf16", "routes.yaml", _utf16("routes.yaml"), r"is UTF-16 text"),
    Fault("places-nul-byte", "places.csv",
          _places(lambda lines: [*lines[:2], lines[2].replace("Mid", "M\x00id"), *lines[3:]]),
          r"contains a NUL byte at byte offset \d+ \(line 3\)"),
]

EMPTY = [
    *(Fault(f"{n.split('.')[0]}-empty", n, _bytes(n, b""), r"is empty")
      for n in ("places.csv", "segments.geojson", "borders.geojson", "water.geojson",
                "basemap.geojson")),
    Fault("places-blank", "places.csv", _bytes("places.csv", b"\n  \n"), r"is empty"),
    Fault("places-header-only", "places.csv", _places(lambda lines: lines[:1]),
          r"has a header line but no records"),
    Fault("routes-empty", "routes.yaml", _bytes("routes.yaml", b""),
          r"routes\.yaml: must hold 'routes:' with a non-empty list of routes"),
    Fault("routes-no-routes", "routes.yaml", _bytes("routes.yaml", b"routes: []\n"),
          r"field 'routes' = \[\]: must be a non-empty list of routes"),
    Fault("claims-empty", CLAIMS_FILE, _bytes(CLAIMS_FILE, b""),
          r"must be a mapping with 'article' and 'claims'"),
    Fault("segments-no-features", "segments.geojson", _features_of("segments.geojson", []),
          r"has no features"),
    Fault("borders-no-features", "borders.geojson", _features_of("borders.geojson", []),
          r"has no features"),
]

JSON_TYPES = [
    Fault("segments-json-list", "segments.geojson", _bytes("segments.geojson", b"[]"),
          r"must be a GeoJSON FeatureCollection .*not a list"),
    Fault("borders-json-text", "borders.geojson", _bytes("borders.geojson", b'"borders"'),
          r"must be a GeoJSON FeatureCollection .*not text"),
    Fault("water-json-number", "water.geojson", _bytes("water.geojson", b"42"),
          r"not a number"),
    Fault("basemap-json-list", "basemap.geojson", _bytes("basemap.geojson", b"[1, 2]"),
          r"not a list"),
    Fault("segments-a-feature", "segments.geojson",
          lambda f: _write_json(f, "segments.geojson", _json(f, "segments.geojson")["features"][0]),
          r"must be a GeoJSON FeatureCollection"),
    Fault("segments-feature-not-object", "segments.geojson",
          _edit_features("segments.geojson", lambda fs: fs.append(["not", "a", "feature"])),
          r"record '#2', field '\(feature\)' = 'a list': must be a GeoJSON Feature"),
    Fault("segments-properties-list", "segments.geojson",
          _segment("w-m", lambda f: f.update(properties=["id", "w-m"])),
          r"field 'properties' = 'a list': must be an object"),
    Fault("segments-not-json", "segments.geojson", _bytes("segments.geojson", b"{not json"),
          r"not valid JSON"),
    Fault("segments-deeply-nested", "segments.geojson", _deep_json, r"not valid JSON"),
    Fault("routes-not-yaml", "routes.yaml", _bytes("routes.yaml", b"routes: [unclosed\n"),
          r"not valid YAML \(line 2, column 1\)"),
    Fault("routes-a-list", "routes.yaml", _routes(lambda doc: doc["routes"]),
          r"routes\.yaml: must hold 'routes:' with a non-empty list of routes"),
    Fault("references-not-yaml", "references.yaml",
          _bytes("references.yaml", b"references: [\n"), r"not valid YAML"),
    Fault("traced-not-yaml", "traced.yaml", _bytes("traced.yaml", b"traced: [\n"),
          r"traced\.yaml: not valid YAML"),
    Fault("assumptions-not-yaml", "assumptions.yaml",
          _bytes("assumptions.yaml", b"speed_kmh: {rail\n"), r"not valid YAML"),
]

CRS = [
    Fault("segments-epsg3857", "segments.geojson", _projected("segments.geojson", with_crs=True),
          r"is in WGS 84 / Pseudo-Mercator \(urn:ogc:def:crs:EPSG::3857\), not WGS84 "
          r"longitude/latitude"),
    Fault("borders-projected-no-crs", "borders.geojson",
          _projected("borders.geojson", with_crs=False),
          r"coordinates such as .* are not longitude/latitude degrees: 2 of 3 features look "
          r"projected"),
    Fault("water-unknown-crs", "water.geojson",
          lambda f: _write_json(f, "water.geojson", {**_json(f, "water.geojson"), "crs": {
              "type": "name", "properties": {"name": "EPSG:999999"}}}),
          r"unknown coordinate reference system 'EPSG:999999'"),
]

SHAPES = [
    Fault("segments-self-crossing", "segments.geojson",
          _segment("w-m", lambda f: f["geometry"].update(
              coordinates=[[0.5, 0.5], [1.0, 0.8], [1.0, 0.3], [0.8, 0.5], [1.2, 0.5], [1.5, 0.5]])),
          r"record 'w-m', field 'geometry' = 'LineString': crosses itself at \(1\.00000, 0\.50000\)"),
    Fault("segments-missing-geometry", "segments.geojson",
          _segment("w-m", lambda f: f.update(geometry=None)),
          r"record 'w-m', field 'geometry' = None: is missing"),
    Fault("segments-nan-coordinates", "segments.geojson",
          lambda f: (f / "segments.geojson").write_text(
              (f / "segments.geojson").read_text().replace("[0.5, 0.5]", "[NaN, 0.5]", 1)),
          r"record 'w-m', field 'geometry'"),
    Fault("segments-end-not-at-place", "segments.geojson",
          _segment("w-m", lambda f: f["geometry"].update(coordinates=[[0.5, 0.5], [1.6, 0.5]])),
          r"record 'w-m', field 'to' = 'mid': segment ends 11\.\d\d km from place 'mid'"),
    Fault("borders-bowtie", "borders.geojson",
          _edit_features("borders.geojson", lambda fs: fs[2].update(geometry=BOWTIE)),
          r"record 'CCC', field 'geometry' = 'Polygon': is invalid: Self-intersection"),
    Fault("water-a-line", "water.geojson",
          _edit_features("water.geojson", lambda fs: fs[0].update(geometry={
              "type": "LineString", "coordinates": [[2.6, 0.1], [2.9, 0.3]]})),
          r"record 'LAKE', field 'geometry' = 'LineString': must be one of"),
]

LISTS_AND_IDS = [
    Fault("routes-segments-text", "routes.yaml", _route(segments="w-m, m-e"),
          r"record 'w-e', field 'segments' = 'w-m, m-e': must be a list of segment ids, not text"),
    Fault("routes-origin-list", "routes.yaml", _route(origin=["west"]),
          r"record 'w-e', field 'origin' = \['west'\]: must be an id"),
    Fault("routes-unknown-segment", "routes.yaml", _route(segments=["w-m", "nowhere"]),
          r"record 'w-e', field 'segments' = 'nowhere': unknown segment id"),
    Fault("routes-not-chained", "routes.yaml", _route(segments=["m-e", "w-m"]),
          r"record 'w-e', field 'segments' = 'm-e': does not start or end at 'west'"),
    Fault("segments-id-list", "segments.geojson", _props("w-m", id=["w", "m"]),
          r"field 'id' = \['w', 'm'\]: must be text"),
    Fault("segments-from-mapping", "segments.geojson", _props("w-m", **{"from": {"id": "west"}}),
          r"record 'w-m', field 'from' = \{'id': 'west'\}: must be an id"),
    Fault("segments-duplicate-id", "segments.geojson", _props("m-e", id="w-m"),
          r"record 'w-m', field 'id' = 'w-m': duplicate id"),
    Fault("segments-unknown-place", "segments.geojson", _props("m-e", to="atlantis"),
          r"record 'm-e', field 'to' = 'atlantis': unknown place id"),
    Fault("places-duplicate-id", "places.csv",
          _places(lambda lines: [*lines, lines[1]]), r"record 'west', field 'id' = 'west': duplicate id"),
    Fault("claims-places-text", CLAIMS_FILE,
          _claims(lambda d: d["claims"][0].update(features={"places": "west"})),
          r"claim 'tiny-01', field 'features.places' = 'west': must be a list of ids"),
    Fault("claims-unknown-route", CLAIMS_FILE,
          _claims(lambda d: d["claims"][2]["check"]["args"].update(route="nowhere")),
          r"claim 'tiny-03', field 'check.args.route' = 'nowhere': unknown route id"),
]

VOCABULARY = [
    *(Fault(f"segments-{field}-{str(value).replace(' ', '-') or 'blank'}", "segments.geojson", _props("w-m", **{field: value}),
            rf"record 'w-m', field '{field}' = .*{message}")
      for field, value, message in [
          ("mode", "hyperloop", r"must be one of \['ferry', 'rail', 'road', 'sea'\]"),
          ("status", "rumoured", "must be one of"),
          ("gauge", "1000", r"each gauge must be one of \[1435, 1520\]"),
          ("gauge", "wide", "not a gauge list"),
          ("gauge_source", "", "is required when a gauge is given"),
          ("gauge_mm", 1520, "renamed to 'gauge'"),
          ("as_of", "last year", "must be a date"),
          ("source", "", "is required and missing"),
      ]),
    Fault("segments-gauge-on-road", "segments.geojson", _props("w-m", mode="road"),
          r"record 'w-m', field 'gauge' = '1435': only rail segments have a gauge"),
    Fault("places-bad-kind", "places.csv", _place_field("mid", "kind", "castle"),
          r"record 'mid', field 'kind' = 'castle': must be one of"),
    Fault("places-lat-out-of-range", "places.csv", _place_field("west", "lat", "95.0"),
          r"record 'west', field 'lat' = 95\.0: out of range -90\.\.90"),
    Fault("places-lon-not-a-number", "places.csv", _place_field("west", "lon", "half"),
          r"record 'west', field 'lon/lat' = \('half', '0\.5'\): must be numbers"),
    Fault("places-outside-country", "places.csv", _place_field("west", "country", "CCC"),
          r"record 'west', field 'lon/lat' = \(0\.5, 0\.5\): is \d+\.\d km outside declared "
          r"country CCC \(it lies in AAA\)"),
    Fault("places-unknown-country", "places.csv", _place_field("west", "country", "XYZ"),
          r"record 'west', field 'country' = 'XYZ': is not a country of the borders file"),
    Fault("places-missing-column", "places.csv",
          _places(lambda lines: [line.split(",", 1)[1] for line in lines]),
          r"field 'header' = \['id'\]: columns missing"),
    Fault("places-semicolons", "places.csv",
          _places(lambda lines: [line.replace(",", ";") for line in lines]),
          r"columns missing; the columns must be separated by commas"),
    Fault("claims-publication-line-break", CLAIMS_FILE,
          _claims(lambda d: d["article"].update(publication="Reuters\u2028London")),
          r"article, field 'publication' = 'Reuters\\u2028London': must be one line, but holds a "
          r"line break \(U\+2028 LINE SEPARATOR\)"),
    Fault("claims-old-save-with-line-break", CLAIMS_FILE, _old_claims_save,
          r"not valid YAML \(line 3, column 8\): mapping values are not allowed"),
    *(Fault(f"claims-{bad.stem}", CLAIMS_FILE, _bad_claims_file(bad), r"claim|YAML|field")
      for bad in BAD_CLAIMS),
]

LIFECYCLE = [
    Fault("segments-lifecycle-repeated-start", "segments.geojson",
          _props("w-m", status="operational", lifecycle=[
              lifecycle_event("2000", "construction_start", "under_construction"),
              lifecycle_event("2003", "construction_start", "under_construction"),
              lifecycle_event("2005", "opening", "operational")]),
          r"record 'w-m', field 'lifecycle\[1\]\.event' = 'construction_start': a second "
          r"construction start: works began at lifecycle\[0\] \(2000\)"),
    Fault("segments-lifecycle-operational-start", "segments.geojson",
          _props("w-m", status="operational", lifecycle=[
              lifecycle_event("2000", "opening", "operational"),
              lifecycle_event("2005", "construction_start", "operational")]),
          r"record 'w-m', field 'lifecycle\[1\]\.status' = 'operational': a construction_start "
          r"must have status under_construction: works on a line in service are 'progress'"),
]

FILES = [
    Fault("places-is-a-folder", "places.csv", _folder_instead("places.csv"),
          r"places\.csv: is a folder, not a file"),
    Fault("claims-file-is-a-folder", CLAIMS_FILE, _folder_instead(CLAIMS_FILE),
          r"tiny-article\.yaml: is a folder, not a file"),
    Fault("segments-missing", "segments.geojson", _delete("segments.geojson"),
          r"segments\.geojson: data file not found"),
    Fault("routes-missing", "routes.yaml", _delete("routes.yaml"), r"routes\.yaml: data file not found"),
    Fault("borders-missing", "borders.geojson", _delete("borders.geojson"),
          r"borders\.geojson: data file not found"),
]

def _alias_bomb(name: str) -> Callable[[Path], None]:
    """A "billion laughs" YAML document of about 1 kB: nine levels of nine aliases each."""
    def make(folder: Path) -> None:
        lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        for i in range(1, 10):
            refs = ", ".join([f"*a{i - 1}"] * 9)
            lines.append(f"a{i}: &a{i} [{refs}]")
        (folder / name).write_text("\n".join(lines) + "\nroutes: *a9\n", encoding="utf-8")
    return make


def _not_regular(name: str, kind: str) -> Callable[[Path], None]:
    """``name`` replaced by a FIFO (``kind='fifo'``) or a link to ``/dev/zero``."""
    def make(folder: Path) -> None:
        target = folder / name
        target.unlink()
        if kind == "fifo":
            os.mkfifo(target)
        else:
            target.symlink_to("/dev/zero")
    return make


def _routes_text(edit: Callable[[str], str]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / "routes.yaml"
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return make


def _huge_integer(folder: Path) -> None:
    path = folder / "segments.geojson"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"type"', '"n": ' + "9" * 4401 + ', "type"', 1), encoding="utf-8")


# Hostile files (issue 25): each must end fast, in bounded memory, with a message naming it.
HOSTILE = [
    Fault("routes-alias-bomb", "routes.yaml", _alias_bomb("routes.yaml"),
          r"routes\.yaml.*(alias|anchor)"),
    Fault("routes-duplicate-key", "routes.yaml",
          _routes_text(lambda t: t.replace("  id: w-e\n", "  id: w-e\n  id: w-e2\n", 1)),
          r"key 'id' appears twice"),
    Fault("routes-impossible-date", "routes.yaml",
          _routes_text(lambda t: t.replace("as_of: '2026-01-01'", "as_of: 2025-02-30", 1)),
          r"record 'w-e', field 'as_of'.*is not a day of the calendar"),
    Fault("routes-year-zero", "routes.yaml",
          _routes_text(lambda t: t.replace("as_of: '2026-01-01'", "as_of: 0000-01-01", 1)),
          r"record 'w-e', field 'as_of'.*is not a day of the calendar"),
    Fault("routes-deep-nesting", "routes.yaml",
          _routes_text(lambda t: t + "deep: " + "[" * 1000 + "]" * 1000 + "\n"),
          r"routes\.yaml.*(nest|deep)"),
    Fault("places-fifo", "places.csv", _not_regular("places.csv", "fifo"),
          r"places\.csv.*not a regular file \(a FIFO"),
    Fault("borders-dev-zero", "borders.geojson", _not_regular("borders.geojson", "zero"),
          r"borders\.geojson.*not a regular file \(a character device"),
    Fault("places-accuracy-nan", "places.csv", _place_field("west", "accuracy_m", "nan"),
          r"record 'west', field 'accuracy_m' = 'nan': must be a finite number of metres"),
    Fault("segments-accuracy-negative", "segments.geojson", _props("w-m", accuracy_m=-50),
          r"record 'w-m', field 'accuracy_m' = -50: must be a finite number of metres, 0 or"),
    Fault("segments-huge-integer", "segments.geojson", _huge_integer,
          r"segments\.geojson.*(digits|integer)"),
]

FAULTS: list[Fault] = [*ENCODING, *EMPTY, *JSON_TYPES, *CRS, *SHAPES, *LISTS_AND_IDS,
                       *VOCABULARY, *LIFECYCLE, *FILES, *HOSTILE]
