"""The Compare page's table of alternatives and the notes a reader must see under it.

Plain functions from ``geo.compare`` results to a frame and to text; every figure carries its
basis (length: published chainage, track traced on OpenStreetMap, or the drawn line,
:func:`geo.metrics.length_text`; time and cost: model estimates, central (low-high),
:func:`geo.timecost.estimate_text`). The page
(``compare.py``) shows them; the tests read them.
"""

from __future__ import annotations

import pandas as pd

from geo.alternatives import corridor_text
from geo.gauges import break_text, gauge_breaks_text
from geo.metrics import length_text, stale_text

#: The table's columns in order: first whether and how much of each corridor exists, then its
#: length on a stated basis, the events at borders, the model estimates and the details.
COLUMNS = ["rank", "corridor", "exists", "km_operational", "km_under_construction",
           "km_planned", "km_out_of_service", "length", "border_crossings", "gauge_breaks",
           "transshipments", "est_time", "est_cost", "km_by_country", "via"]
#: The sections table under the alternatives: its columns and their headers on the page.
SECTION_HEADERS = {"rank": "Alt.", "section": "Named section", "length": "Length: best estimate (basis)",
                   "km_by_country": "km by country", "km_by_status": "km by status"}
#: Kilometre columns and the statuses they count.
KM_COLUMNS = {"km_operational": "operational", "km_under_construction": "under construction",
              "km_planned": "planned or proposed", "km_out_of_service": "out of service"}


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


def range_text(central: float, bounds: list[float], unit: str = "") -> str:
    """A model estimate as central (low-high): "34 h (21-105)"."""
    low, high = bounds
    return f"{central:,.0f}{unit} ({low:,.0f}–{high:,.0f})"


def length_cell(m: dict) -> str:
    """The best-estimate length with its basis, as :func:`geo.metrics.length_text` gives it."""
    return length_text(m["length_km"], m["measured_km"], m["length_basis"])


def alternatives_table(results: list[dict], names: dict[str, str]) -> pd.DataFrame:
    """One row per alternative, :data:`COLUMNS`; ``names`` maps place ids to names (via)."""
    rows = []
    for m in results:
        rows.append({
            "rank": m["rank"],
            "corridor": corridor_of(m),
            "exists": exists_text(m),
            **{key: round(float(m.get(key) or 0.0)) for key in KM_COLUMNS},
            "length": length_cell(m),
            "border_crossings": len(m["border_crossings"]),
            "gauge_breaks": gauge_breaks_text(m, short=True),
            "transshipments": len(m["transshipments"]),
            "est_time": range_text(m["est_time_h"], m["est_time_h_range"], " h"),
            "est_cost": range_text(m["est_cost_usd"], m["est_cost_usd_range"]),
            "km_by_country": ", ".join(f"{c} {km:,.0f}" for c, km in
                                       sorted(m["km_by_country"].items(), key=lambda kv: -kv[1])),
            "via": " > ".join(names.get(n, n) for n in m["nodes"]),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


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


def reader_notes(m: dict) -> list[str]:
    """What a reader must know before quoting an alternative's figures, in words.

    Unknowns (gauges, what the time assumes about unbuilt or closed segments), every break of
    gauge (uncertain ones say so), statuses that may be out of date
    (:func:`geo.metrics.stale_text`) and the variants folded into the corridor.
    """
    out = list(m.get("unknowns") or [])
    if m["gauge_breaks"]:
        out.append("breaks of gauge: " + "; ".join(break_text(b) for b in m["gauge_breaks"]))
    oldest, newest = m.get("status_as_of") or (None, None)
    stale = stale_text(m.get("stale_segments") or [])
    if stale:
        span = oldest if oldest == newest else f"{oldest} to {newest}"
        out.append(f"{stale} (statuses recorded {span})")
    variants = m.get("variants") or []
    if variants:
        lengths = ", ".join(f"{v['length_km']:,.0f}" for v in variants)
        out.append(f"{len(variants)} other path(s) through the same border crossings folded into "
                   f"this corridor ({lengths} km; listed under the notes)")
    return out


def variants_frame(results: list[dict], names: dict[str, str]) -> pd.DataFrame:
    """Every path folded into an alternative's corridor: ``rank``, ``corridor``, ``length``
    (best estimate, km) and ``via`` (place names with the mode of each leg)."""
    rows = [{"rank": m["rank"], "corridor": corridor_of(m), "length_km": round(v["length_km"]),
             "via": " ".join(names.get(t, t) for t in v["via"].split(" "))}
            for m in results for v in (m.get("variants") or [])]
    return pd.DataFrame(rows, columns=["rank", "corridor", "length_km", "via"])
