"""Every name of what the map shows, for the search box and for the map's labels.

:func:`name_index` lists each name of each place, route, named section, segment, claim and
country (one row a name: its language, who uses it) with the extent to zoom to;
:func:`search_index` builds it from a data folder. :func:`search` ranks the things whose names
match a query, ignoring case, accents and script (``geo.names.normalize_name``: ``Zəngəzur``,
``zangazur`` and ``ZANGAZUR`` are one key, ``Мегри`` reads as ``megri``).

:func:`map_labels` gives the labels of places, routes and sections: the English name, and each
side's own form where it is another name, not a spelling (``Zangilan`` / ``Kovsakan (hy)``;
``Zangezur corridor (Azerbaijan)`` / ``Crossroads of Peace (Armenia)`` / ``TRIPP``).

Settings (module globals):

``POINT_PAD_DEG``
    Degrees added on each side of a point (a place, a claim) for the extent to zoom to.
``KIND_ORDER``, ``FORM_ORDER``
    Which kind of thing, and which kind of name (a name, an alternative name, an id, a
    claim's summary), comes first among matches that are equally good.
``LABEL_STOPS``
    Where along a route or section its label may go (fractions of its length), in order.
``SIDE_LANGS``
    Per country, the languages whose place names are shown beside the English one when they
    differ (Armenia and Azerbaijan name many places of their border area differently).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from . import settings
from .claims import claims_gdf, load_claims
from .data import load_borders, load_nakhchivan, load_places, load_routes, load_segments
from .files import data_path
from .names import close_forms, fold, normalize_name, short_name, split_alt_names

POINT_PAD_DEG = 0.25
LABEL_STOPS = (0.5, 0.35, 0.65, 0.2, 0.8)
KIND_ORDER = ("place", "route", "section", "country", "segment", "claim")
SIDE_LANGS = {"ARM": ("hy", "az"), "AZE": ("az", "hy")}
FORM_ORDER = ("name", "alt", "id", "text")
INDEX_COLUMNS = ["name", "kind", "id", "lang", "used_by", "form", "title", "key", "bounds"]
# Two names whose Latin readings are at least this alike are spellings of one name.
_SAME_NAME = 0.75
_ACRONYM = re.compile(r"^(?P<long>.+?) \((?P<short>[A-Z]{3,})\)(?P<rest>.*)$")
_GOVERNMENT = re.compile(r"^Governments? of ")
_WORD = re.compile(r"\w+")
_DIGRAPHS = (("dzh", "j"), ("kh", "x"), ("gh", "g"), ("ch", "c"), ("sh", "s"), ("zh", "j"),
             ("dz", "j"), ("ov", "u"), ("yu", "u"), ("ya", "a"))


# ---------------------------------------------------------------------------------------------
# The index


def _padded(bounds, pad: float = 0.0) -> tuple[float, float, float, float] | None:
    west, south, east, north = (float(v) for v in bounds)
    if any(v != v for v in (west, south, east, north)):  # NaN: an empty geometry
        return None
    pad = max(pad, POINT_PAD_DEG - (east - west) / 2, POINT_PAD_DEG - (north - south) / 2, 0.0)
    return (max(-180.0, west - pad), max(-90.0, south - pad), min(180.0, east + pad),
            min(90.0, north + pad))


def _extent(geoms) -> tuple[float, float, float, float] | None:
    """The padded extent of some geometries (10% of their size, at least a point's pad)."""
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        return None
    west, south, east, north = shapely.GeometryCollection(geoms).bounds
    return _padded((west, south, east, north), 0.1 * max(east - west, north - south))


def _rows_of(kind: str, thing_id: str, title: str, bounds, names) -> list[dict]:
    """Index rows of one thing: ``names`` are (name, lang, used_by, form); blanks and repeats
    dropped."""
    if bounds is None:
        return []
    rows, seen = [], set()
    for name, lang, used_by, form in names:
        name = str(name or "").strip()
        if not name or (name, lang) in seen:
            continue
        seen.add((name, lang))
        rows.append({"name": name, "kind": kind, "id": str(thing_id), "lang": lang,
                     "used_by": used_by, "form": form, "title": title, "key": search_key(name),
                     "bounds": bounds})
    return rows


def _place_rows(places: gpd.GeoDataFrame) -> list[dict]:
    langs = [c.removeprefix("name_") for c in places.columns if c.startswith("name_")]
    rows = []
    for pid, row in places.iterrows():
        names = [(row.get(f"name_{lang}"), lang, "", "name") for lang in langs]
        names += [(alt, "", "", "alt") for alt in split_alt_names(row.get("alt_names"))]
        names.append((pid, "", "", "id"))
        rows += _rows_of("place", pid, str(row["name_en"]), _extent([row.geometry]), names)
    return rows


def _route_rows(routes: pd.DataFrame, lines: pd.Series) -> list[dict]:
    rows = []
    for rid, route in routes.iterrows():
        geoms = [lines.get(s) for s in route["segments"]]
        names = [(n.get("name"), n.get("lang") or "", n.get("used_by") or "", "name")
                 for n in _list(route.get("names"))]
        names += [(route["name"], "en", "", "name"), (rid, "", "", "id")]
        rows += _rows_of("route", rid, str(route["name"]), _extent(geoms), names)
        for section in _list(route.get("sections")):
            sid = str(section.get("id") or "")
            sgeoms = [lines.get(s) for s in section.get("segments") or []]
            rows += _rows_of("section", sid, str(section.get("name") or sid), _extent(sgeoms),
                             [(section.get("name"), "en", "", "name"), (sid, "", "", "id")])
    return rows


def _list(value) -> list:
    return value if isinstance(value, list) else []


def name_index(*, places: gpd.GeoDataFrame | None = None, routes: pd.DataFrame | None = None,
               segments: gpd.GeoDataFrame | None = None, claims: gpd.GeoDataFrame | None = None,
               borders: gpd.GeoDataFrame | None = None,
               nakhchivan: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """One row per name of each thing of these frames, for :func:`search`.

    Parameters
    ----------
    places, routes, segments, borders, nakhchivan
        Frames from the ``geo.load_*`` functions (any may be None). Routes need ``segments``
        for their extent.
    claims
        Claims with a point each (``geo.claims_gdf``); claims without one are left out.

    Returns
    -------
    pandas.DataFrame
        ``name``, ``kind`` (one of :data:`KIND_ORDER`), ``id``, ``lang`` (language code, ""
        for ids and alternative names), ``used_by`` (who uses a route's name), ``title`` (the
        thing's English name), ``form`` (one of :data:`FORM_ORDER`: a name, an alternative
        name, an id, a claim's summary), ``key`` (:func:`search_key` of the name, what queries
        are matched against) and ``bounds`` (``(west, south, east, north)`` to zoom to).
    """
    rows: list[dict] = []
    if places is not None:
        rows += _place_rows(places)
    lines = pd.Series(dtype=object) if segments is None else segments.geometry
    if routes is not None:
        rows += _route_rows(routes, lines)
    if segments is not None:
        for sid, row in segments.iterrows():
            rows += _rows_of("segment", sid, str(row.get("name") or sid), _extent([row.geometry]),
                             [(row.get("name"), "en", "", "name"), (sid, "", "", "id")])
    if claims is not None:
        for row, geom in zip(claims.to_dict("records"), claims.geometry, strict=True):
            cid = str(row.get("claim_id"))
            rows += _rows_of("claim", cid, f"Claim {cid}", _extent([geom]),
                             [(cid, "", "", "id"), (row.get("summary"), "en", "", "text")])
    if borders is not None:
        for iso3, row in borders.iterrows():
            rows += _rows_of("country", iso3, str(row["name"]), _extent([row.geometry]),
                             [(row["name"], "en", "", "name"),
                              (row.get("name_long"), "en", "", "name"), (iso3, "", "", "id")])
    if nakhchivan is not None:
        for unit, row in nakhchivan.iterrows():
            rows += _rows_of("country", unit, str(row["name"]), _extent([row.geometry]),
                             [(row["name"], "en", "", "name"),
                              (row.get("name_az"), "az", "", "name")])
    return pd.DataFrame(rows, columns=INDEX_COLUMNS)


def search_index(data_dir: Path | str | None = None) -> pd.DataFrame:
    """:func:`name_index` of a data folder: its places, routes, sections, segments, claims
    and countries (with Nakhchivan). A folder without claims files gives no claim rows."""
    borders = load_borders(data_dir)
    claims = None
    if any(data_path("claims", data_dir).glob("*.yaml")):
        claims = claims_gdf(load_claims(data_dir=data_dir), data_dir)
    return name_index(
        places=load_places(data_dir), routes=load_routes(data_dir),
        segments=load_segments(data_dir), claims=claims, borders=borders,
        nakhchivan=load_nakhchivan(data_dir) if "AZE" in borders.index else None,
    )


# ---------------------------------------------------------------------------------------------
# Matching


def search_key(text: object) -> str:
    """The form of a name that queries are matched against: ``normalize_name``'s folding, as
    words of letters and digits (``"Bandar-e Anzali"`` -> ``"bandar e anzali"``)."""
    return " ".join(_WORD.findall(normalize_name(text)))


def match_score(key: str, query: str) -> int | None:
    """How well folded name ``key`` matches folded ``query``: 0 the same, 1 it starts the
    name, 2 it starts a word of it, 3 it is inside it, 4 every word of it is; None: no match."""
    if not query or not key:
        return None
    if key == query:
        return 0
    if key.startswith(query):
        return 1
    if f" {query}" in f" {key}":
        return 2
    if query in key:
        return 3
    words = query.split()
    if len(words) > 1 and all(w in key for w in words):
        return 4
    return None


def search(query: str, index: pd.DataFrame, *, limit: int = 10) -> pd.DataFrame:
    """The things whose names match ``query``, best first, one row each.

    Matching ignores case, accents and script (see :func:`match_score`). Equally good matches
    come names written as the query is first (``Мегри`` before ``Megri``), then names (then
    alternative names, ids, a claim's summary: :data:`FORM_ORDER`), in
    the order of :data:`KIND_ORDER`, English names first, shorter names first. When nothing
    matches, the things with the names spelt most like the query are returned (score 5), the
    closest first.

    Returns
    -------
    pandas.DataFrame
        The index row of the best-matching name of each thing, plus ``score``; at most
        ``limit`` rows (empty for a blank query).
    """
    key = search_key(query)
    columns = [*INDEX_COLUMNS, "score"]
    if not key or index is None or len(index) == 0:
        return pd.DataFrame(columns=columns)
    scores = index["key"].map(lambda k: match_score(k, key))
    near = pd.Series(0, index=index.index)
    if scores.isna().all():
        forms = close_forms(key, list(dict.fromkeys(index["key"])), n=limit)
        rank = {form: i for i, form in reversed(list(enumerate(forms)))}
        near = index["key"].map(lambda k: rank.get(k, 0))
        scores = index["key"].map(lambda k: 5 if k in rank else None)
    hits = index.assign(score=scores, _near=near).dropna(subset=["score"])
    if hits.empty:
        return pd.DataFrame(columns=columns)
    kinds = {kind: i for i, kind in enumerate(KIND_ORDER)}
    forms_rank = {form: i for i, form in enumerate(FORM_ORDER)}
    typed = fold(query).strip()
    hits = hits.assign(score=hits["score"].astype(int),
                       _typed=(~hits["name"].map(fold).str.contains(typed, regex=False)).astype(int),
                       _form=hits["form"].map(lambda f: forms_rank.get(f, len(forms_rank))),
                       _kind=hits["kind"].map(lambda k: kinds.get(k, len(kinds))),
                       _lang=(hits["lang"] != "en").astype(int),
                       _len=hits["name"].str.len())
    hits = hits.sort_values(["score", "_near", "_typed", "_form", "_kind", "_lang", "_len",
                            "name"], kind="stable")
    best = hits.drop_duplicates(subset=["kind", "id"], keep="first")
    return best[columns].head(limit).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Labels


def _is_latin(text: str) -> bool:
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def _skeleton(text: str) -> str:
    """The folded name with the digraphs of transliterations as one letter (``kh`` and ``x``,
    ``gh`` and ``g``, the Armenian ``ու`` as ``u``), for telling spellings from names."""
    key = normalize_name(text)
    for digraph, letter in _DIGRAPHS:
        key = key.replace(digraph, letter)
    return key


def _words(text: str) -> list[str]:
    key = _skeleton(text)
    return [key, *re.findall(r"\w+", key)] if key else []


def _alike(form: str, name: str) -> bool:
    """Whether ``form`` is a spelling of ``name`` (or of words of it), not another name."""
    def close(a: str, b: str) -> bool:
        return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= _SAME_NAME
    forms, names = _words(form), _words(name)
    if not forms or not names:
        return False
    return any(close(forms[0], n) for n in names) or all(
        any(close(f, n) for n in names) for f in forms[1:])


def _latin(form: str, alternatives: list[str]) -> str:
    """``form`` as a reader of Latin script finds it: a form in another script becomes the
    alternative name spelt most like it (``Կովսական`` -> ``Kovsakan``), if one is."""
    if _is_latin(form):
        return form
    key = _skeleton(form)
    ratios = [(difflib.SequenceMatcher(None, key, _skeleton(a)).ratio(), a)
              for a in alternatives if _is_latin(a)]
    best = max(ratios, default=(0.0, form))
    return best[1] if best[0] >= _SAME_NAME else form


def place_label(row: dict) -> str:
    """A place's label: its short English name, then, one a line, each side's form that is
    another name (not another spelling) with its language: ``"Zangilan\\nKovsakan (hy)"``."""
    english = str(row.get("name_en") or "")
    alternatives = split_alt_names(row.get("alt_names"))
    same = [english, *(a for a in alternatives if _alike(a, english))]
    lines = [short_name(english)]
    for lang in SIDE_LANGS.get(str(row.get("country") or ""), ()):
        form = str(row.get(f"name_{lang}") or "").strip()
        if not form or any(_alike(form, s) for s in same):
            continue
        lines.append(f"{_latin(form, alternatives)} ({lang})")
        same.append(form)
    return "\n".join(lines)


def _governments(used_by: str) -> list[str]:
    """The countries whose governments use a name: ``"Governments of Iran and Azerbaijan
    (...)"`` -> ``["Iran", "Azerbaijan"]``; empty when the name is not a government's."""
    text = str(used_by).split(" (")[0].strip()
    if not _GOVERNMENT.match(text):
        return []
    return [c.strip() for c in re.split(r",|\band\b", _GOVERNMENT.sub("", text)) if c.strip()]


def _short_route_name(name: str) -> str:
    """``"Trump Route for ... (TRIPP)"`` -> ``"TRIPP"``; ``"... (INSTC), western route"`` ->
    ``"INSTC, western route"``."""
    found = _ACRONYM.match(name)
    return f"{found['short']}{found['rest']}" if found else name


def route_label(route: dict) -> str:
    """A route's label: its English names, one a line (its own name when it has none).

    Where the names are those of different governments (no country uses two of them), each
    says whose it is: ``"Zangezur corridor (Azerbaijan)\\nCrossroads of Peace (Armenia)"``.
    """
    english = [n for n in _list(route.get("names")) if n.get("lang") == "en" and n.get("name")]
    if not english:
        return short_name(route.get("name") or "")
    owners = [_governments(n.get("used_by") or "") for n in english]
    named = [c for found in owners for c in found]
    sides = len([o for o in owners if o]) > 1 and len(named) == len(set(named))
    lines = []
    for item, found in zip(english, owners, strict=True):
        text = _short_route_name(str(item["name"]))
        lines.append(f"{text} ({', '.join(found)})" if sides and found else text)
    return "\n".join(lines)


def _along(geoms) -> shapely.MultiPoint | None:
    """Points along the lines ``geoms`` (merged where they join) to put a label at, in order
    of preference: halfway, then nearer and nearer the ends (:data:`LABEL_STOPS`)."""
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        return None
    merged = shapely.line_merge(shapely.union_all(geoms))
    parts = list(getattr(merged, "geoms", [merged]))
    longest = max(parts, key=lambda g: g.length)
    return shapely.MultiPoint([longest.interpolate(f, normalized=True) for f in LABEL_STOPS])


def map_labels(*, places: gpd.GeoDataFrame | None = None, routes: pd.DataFrame | None = None,
               segments: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """The labels of places, routes and named sections, where each may go.

    Returns
    -------
    geopandas.GeoDataFrame
        ``text`` (lines joined by ``\\n``: see :func:`place_label`, :func:`route_label`; a
        section's name without its detail in brackets), ``kind`` (the place's kind,
        ``"route"`` or ``"section"``), ``id``, ``rank`` (places: 0 where a route starts or
        ends, 1 at the end of a segment, 2 otherwise; routes and sections 0) and the
        geometry: the place's point, or points along the route or section (a ``MultiPoint``,
        halfway first: :data:`LABEL_STOPS`).
    """
    rows, points = [], []
    lines = pd.Series(dtype=object) if segments is None else segments.geometry
    termini: set = set()
    if routes is not None:
        termini = set(routes["origin"]) | set(routes["destination"])
        for rid, route in routes.iterrows():
            mid = _along([lines.get(s) for s in route["segments"]])
            if mid is not None:
                rows.append({"text": route_label(route.to_dict()), "kind": "route",
                             "id": str(rid), "rank": 0})
                points.append(mid)
            for section in _list(route.get("sections")):
                mid = _along([lines.get(s) for s in section.get("segments") or []])
                if mid is not None:
                    rows.append({"text": short_name(section.get("name") or section.get("id")),
                                 "kind": "section", "id": str(section.get("id")), "rank": 0})
                    points.append(mid)
    ends: set = set()
    if segments is not None and {"from", "to"} <= set(segments.columns):
        ends = set(segments["from"]) | set(segments["to"])
    if places is not None:
        for pid, row in places.iterrows():
            if row.geometry is None or row.geometry.is_empty:
                continue
            rank = 0 if pid in termini else 1 if pid in ends else 2
            rows.append({"text": place_label(row.to_dict()), "kind": str(row.get("kind")),
                         "id": str(pid), "rank": rank})
            points.append(row.geometry)
    frame = pd.DataFrame(rows, columns=["text", "kind", "id", "rank"])
    return gpd.GeoDataFrame(frame, geometry=points, crs=settings.crs)
