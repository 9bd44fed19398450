"""The Compare page's table of alternatives, its CSV and the notes a reader must see under it.

Plain functions from ``geo.compare`` results to frames and text; every figure carries its
basis (length: published chainage, track traced on OpenStreetMap, or the drawn line, in a
column of its own beside the number; time and cost: model estimates, central with the
low-high range). Notes name sections and places by name, never by id. The page
(``compare.py``) shows them; the tests read them.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from geo.alternatives import corridor_text
from geo.gauges import break_text, gauge_breaks_text
from geo.metrics import stale_text

#: The table's columns in order: what a reader compares first (length, the model's time and
#: cost, then what the length rests on), then whether and how much of each corridor exists, the events at
#: borders, and the details.
COLUMNS = ["rank", "corridor", "length_km", "est_time_h", "est_time_range", "est_cost",
           "est_cost_range", "length_basis", "exists", "km_operational", "km_under_construction",
           "km_planned", "km_out_of_service", "border_crossings", "gauge_breaks",
           "transshipments", "km_by_country", "via"]
#: The sections table under the alternatives: its columns and their headers on the page.
SECTION_HEADERS = {"rank": "Alt.", "section": "Named section",
                   "length": "Length: best estimate (basis)", "km_by_country": "km by country",
                   "km_by_status": "km by status"}
#: Kilometre columns and the statuses they count.
KM_COLUMNS = {"km_operational": "operational", "km_under_construction": "under construction",
              "km_planned": "planned or proposed", "km_out_of_service": "out of service"}
#: Short words for the length bases (``geo.metrics.length_basis``), for a table cell.
BASIS_WORDS = {"chainage_km": "chainage", "traced_km": "OSM-traced", "osm_km": "OSM line",
               "access_km": "access lines", "measured_only_km": "drawn line"}
#: What those words stand for (the column's help).
BASIS_HELP = ("What the length rests on, by share of its km. chainage: published chainage; "
              "OSM-traced: track traced on OpenStreetMap; OSM line: measured on the "
              "OpenStreetMap line; access lines: straight lines from the places to the "
              "OpenStreetMap network; drawn line: measured on the drawn line.")


def corridor_of(m: dict) -> str:
    """The border-crossing sequence of an alternative, e.g. ``AZE>ARM>AZE-NX``."""
    text = m.get("corridor") or corridor_text(m)
    return text.replace(" > ", ">")


def exists_text(m: dict) -> str:
    """"yes" when every km is operational on the date of the statuses, else "no"."""
    return "yes" if m["exists_today"] else "no"


def exists_label(as_of: str | None) -> str:
    """The header of the exists column: today, or the date of the statuses."""
    return "Exists today" if as_of is None else f"Exists on {as_of}"


def rounded(value: float, digits: int = 3) -> float:
    """A model estimate to ``digits`` significant figures (never more than one decimal):
    147.43 -> 147, 1602.4 -> 1600, 7.53 -> 7.5. Estimates with a wide range do not deserve
    more."""
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return value
    places = digits - 1 - math.floor(math.log10(abs(value)))
    return float(round(value, min(places, 1)))


def number_text(value: float) -> str:
    """A rounded estimate for people: "1,600", "147", "7.5"."""
    value = rounded(value)
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def range_text(bounds: list[float]) -> str:
    """The low-high range of a model estimate: "102–247"."""
    low, high = bounds
    return f"{number_text(low)}–{number_text(high)}"


def basis_text(basis: dict) -> str:
    """What a best-estimate length rests on, in a few words (:data:`BASIS_WORDS`): "16%
    chainage, 84% drawn line" or "drawn line"."""
    km = {key: float(basis.get(key) or 0.0) for key in BASIS_WORDS}
    total = sum(km.values())
    if total <= 0:
        return BASIS_WORDS["measured_only_km"]
    shares = {key: v / total for key, v in km.items() if v / total > 0.005}
    whole = [key for key, share in shares.items() if share >= 0.995]
    if whole:
        return BASIS_WORDS[whole[0]]
    return ", ".join(f"{share:.0%} {BASIS_WORDS[key]}" for key, share in shares.items())


def short_segment_name(name: str) -> str:
    """A segment's name without its parenthesised detail: "Horadiz–Mincivan railway"."""
    short = re.sub(r"\s*\([^()]*\)\s*$", "", str(name)).strip()
    return short or str(name)


def id_names(places: pd.DataFrame, segments: pd.DataFrame) -> dict[str, str]:
    """Names by id for notes: places (``name_en``) and segments (short names)."""
    out = {str(i): short_segment_name(n) for i, n in segments["name"].items()}
    out.update({str(i): str(n) for i, n in places["name_en"].items()})
    return out


def named(text: str, names: dict[str, str]) -> str:
    """``text`` with every id of ``names`` (a whole token) replaced by its name."""
    if not names:
        return text
    ids = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in ids) + r")(?![\w-])")
    return pattern.sub(lambda match: names[match.group(1)], text)


def alternatives_table(results: list[dict], names: dict[str, str]) -> pd.DataFrame:
    """One row per alternative, :data:`COLUMNS`; ``names`` maps place ids to names (via).

    ``length_km`` is a number (sortable) and ``length_basis`` says what it rests on;
    ``est_time_h`` and ``est_cost`` are the central model estimates (three significant
    figures), ``est_time_range`` and ``est_cost_range`` their low-high range.
    """
    rows = []
    for m in results:
        rows.append({
            "rank": m["rank"],
            "corridor": corridor_of(m),
            "length_km": round(float(m["length_km"])),
            "length_basis": basis_text(m["length_basis"]),
            "est_time_h": rounded(m["est_time_h"]),
            "est_time_range": range_text(m["est_time_h_range"]),
            "est_cost": rounded(m["est_cost_usd"]),
            "est_cost_range": range_text(m["est_cost_usd_range"]),
            "exists": exists_text(m),
            **{key: round(float(m.get(key) or 0.0)) for key in KM_COLUMNS},
            "border_crossings": len(m["border_crossings"]),
            "gauge_breaks": gauge_breaks_text(m, short=True),
            "transshipments": len(m["transshipments"]),
            "km_by_country": ", ".join(f"{c} {km:,.0f}" for c, km in
                                       sorted(m["km_by_country"].items(), key=lambda kv: -kv[1])),
            "via": " > ".join(names.get(n, n) for n in m["nodes"]),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def unit_short(unit: str) -> str:
    """A unit for a column header: "USD per TEU" -> "USD/TEU"."""
    return unit.replace(" per ", "/")


def unit_slug(unit: str) -> str:
    """A unit for a CSV header: "USD per TEU" -> "usd_per_teu"."""
    return re.sub(r"[^a-z0-9]+", "_", unit.casefold()).strip("_") or "usd"


def csv_frame(results: list[dict], names: dict[str, str]) -> pd.DataFrame:
    """The alternatives for a spreadsheet: one row each, one value per cell, units in the
    headers, figures rounded (km and hours to 0.1, money to whole units, shares to 0.001).

    ``names`` maps place and segment ids to names (:func:`id_names`); lists become text
    joined with " > " (a path) or "; ", and km by country one ``km_<ISO3>`` column each.
    """
    unit = unit_slug(cost_unit(results))
    countries = sorted({c for m in results for c in m.get("km_by_country") or {}})
    rows = []
    for m in results:
        basis = m["length_basis"]
        row = {
            "rank": m["rank"],
            "corridor": corridor_of(m),
            "origin": names.get(m.get("origin"), m.get("origin")),
            "destination": names.get(m.get("destination"), m.get("destination")),
            "length_km": round(float(m["length_km"]), 1),
            "length_basis": basis["text"],
            "share_published_chainage": round(float(basis.get("share_chainage") or 0.0), 3),
            "drawn_line_km": round(float(m["measured_km"]), 1),
            "straight_line_km": round(float(m.get("straight_km") or 0.0), 1),
            "exists": bool(m["exists_today"]),
            **{key: round(float(m.get(key) or 0.0), 1) for key in KM_COLUMNS},
            **{f"km_{c}": round(float((m.get("km_by_country") or {}).get(c, 0.0)), 1)
               for c in countries},
            "border_crossings": len(m["border_crossings"]),
            "border_crossings_at": "; ".join(
                names.get(b.get("place_id"), str(b.get("place_id") or "by sea"))
                for b in m["border_crossings"]),
            "gauge_breaks": len(m["gauge_breaks"]),
            "gauge_breaks_at": "; ".join(break_text(b, names) for b in m["gauge_breaks"]),
            "transshipments": len(m["transshipments"]),
            "transshipments_at": "; ".join(names.get(t["place_id"], t["place_id"])
                                           for t in m["transshipments"]),
            "time_h": round(float(m["est_time_h"]), 1),
            "time_h_low": round(float(m["est_time_h_range"][0]), 1),
            "time_h_high": round(float(m["est_time_h_range"][1]), 1),
            f"cost_{unit}": round(float(m["est_cost_usd"])),
            f"cost_{unit}_low": round(float(m["est_cost_usd_range"][0])),
            f"cost_{unit}_high": round(float(m["est_cost_usd_range"][1])),
            "via": " > ".join(names.get(n, n) for n in m["nodes"]),
            "sections": " > ".join(names.get(s, s) for s in m.get("segments") or []),
            "segment_ids": "; ".join(m.get("segments") or []),
            "statuses_recorded_from": (m.get("status_as_of") or [None, None])[0],
            "statuses_recorded_to": (m.get("status_as_of") or [None, None])[1],
            "sections_may_be_out_of_date": len(m.get("stale_segments") or []),
            "statuses_as_of": m.get("as_of"),
            "notes": " | ".join(named(n, names) for n in m.get("unknowns") or []),
            "estimate_basis": m.get("est_basis", ""),
        }
        rows.append(row)
    return pd.DataFrame(rows)


def sections_table(results: list[dict]) -> pd.DataFrame:
    """One row per named section an alternative walks end to end (its ``sections``, see
    :func:`geo.path_sections`), columns :data:`SECTION_HEADERS`: the figures in the words
    ``geo`` renders them in (:func:`geo.section_summary`), as the exports and ``corridors
    sections`` give them."""
    rows = [{"rank": m["rank"], "section": sec["name"], "length": sec["length_text"],
             "km_by_country": sec["country_text"], "km_by_status": sec["status_text"]}
            for m in results for sec in m.get("sections") or []]
    return pd.DataFrame(rows, columns=list(SECTION_HEADERS))


def cost_unit(results: list[dict]) -> str:
    """The unit of the cost estimates, e.g. "USD per TEU"."""
    return results[0].get("est_cost_unit", "USD") if results else "USD"


def stale_summary(m: dict) -> str:
    """One line on how current an alternative's statuses are ("" when none is old)."""
    stale = list(dict.fromkeys(m.get("stale_segments") or []))
    if not stale:
        return ""
    oldest, newest = m.get("status_as_of") or (None, None)
    span = oldest if oldest == newest else f"{oldest} to {newest}"
    total = len(m.get("segments") or stale)
    return (f"statuses may be out of date on {len(stale)} of {total} section(s) "
            f"(recorded {span})")


def reader_notes(m: dict, names: dict[str, str] | None = None) -> list[str]:
    """What a reader must know before quoting an alternative's figures, in words, sections and
    places by name (``names``: :func:`id_names`).

    Unknowns (gauges, what the time assumes about unbuilt or closed segments), every break of
    gauge (uncertain ones say so), the sections whose status may be out of date
    (:func:`geo.metrics.stale_text`) and the variants folded into the corridor.
    """
    names = names or {}
    out = [named(n, names) for n in m.get("unknowns") or []]
    if m["gauge_breaks"]:
        out.append("breaks of gauge: " + "; ".join(break_text(b, names)
                                                   for b in m["gauge_breaks"]))
    stale = stale_text([names.get(s, s) for s in m.get("stale_segments") or []])
    if stale:
        out.append(stale)
    variants = m.get("variants") or []
    if variants:
        lengths = ", ".join(f"{v['length_km']:,.0f}" for v in variants)
        out.append(f"{len(variants)} other path(s) through the same border crossings folded into "
                   f"this corridor ({lengths} km; listed under the notes)")
    return out


def notes_summary(m: dict, notes: list[str]) -> str:
    """The one line shown per alternative above its folded notes: how current its statuses
    are, and how many other notes there are."""
    stale = stale_summary(m)
    others = len(notes) - (1 if stale else 0)
    parts = [stale] if stale else []
    if others:
        parts.append(f"{others} {'other ' if stale else ''}note{'s' if others != 1 else ''}")
    return f"Alt. {m['rank']}, {corridor_of(m)}: " + ("; ".join(parts) or "no notes")


def variants_frame(results: list[dict], names: dict[str, str]) -> pd.DataFrame:
    """Every path folded into an alternative's corridor: ``rank``, ``corridor``, ``length``
    (best estimate, km) and ``via`` (place names with the mode of each leg)."""
    rows = [{"rank": m["rank"], "corridor": corridor_of(m), "length_km": round(v["length_km"]),
             "via": " ".join(names.get(t, t) for t in v["via"].split(" "))}
            for m in results for v in (m.get("variants") or [])]
    return pd.DataFrame(rows, columns=["rank", "corridor", "length_km", "via"])
