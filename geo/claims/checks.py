"""Check claims against the geodata: verdicts and evidence computed at run time.

Each claim's ``check`` names a predicate of :mod:`geo.claims.predicates`; its verdict and the
numbers behind it are computed every time, so a change of the data changes the evidence.

Verdicts (keys of ``geo.style.VERDICT_LABELS``):

``consistent``
    what the claim states or implies agrees with the geodata;
``partly_consistent``
    part of it agrees (e.g. some of the route lies in the country the claim implies);
``inconsistent``
    the geodata show otherwise;
``context_only``
    the geodata give relevant numbers but the claim makes no assertion they can test
    (a predicate without ``expect``/``min_share``);
``not_checkable``
    opinions, and claims the geodata cannot speak to (the reason is given).

The wording is neutral and attributed: "The article states that ...; the geodata show ...".
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from .. import settings
from .._errors import UnknownPlaceError, UnknownRouteError
from ..dates import settings_today
from ..metrics import stale_text
from ..vocab import TOPICS
from . import (
    predicates,  # noqa: F401  (registers the shipped predicates)
    registry,
)
from .files import claim_row, load_claims
from .geodata import GeoData, NotCheckable
from .rules import gives_verdict, tied_to_assertion

VERDICTS_ON_ASSERTION = frozenset({"consistent", "partly_consistent", "inconsistent"})


def _subject(claim: dict) -> str:
    if claim.get("role") == "author":
        return "The article"
    who = re.sub(r"\s*\([^)]*\)", "", str(claim.get("who") or "")).strip() or "the person quoted"
    return f"{who}, as reported by the article,"


def _evidence(claim: dict, verdict: str, assertion: str, finding: str) -> str:
    if verdict == "context_only":
        why = str(claim.get("why") or "").strip().rstrip(".")
        why = why[:1].lower() + why[1:] if why[:2] != why[:2].upper() else why
        said = f" ({why})" if why and claim.get("tests") == "context" else (
            " (the check is not tied to what the claim asserts)" if claim.get("tests") is None
            else " (the claim makes no assertion the geodata can test)")
        return f"For context{said}: the geodata show {finding}."
    spec = registry.get(claim.get("predicate"))
    verb = "states" if spec is not None and spec.states else "implies"
    return f"{_subject(claim)} {verb} that {assertion}; the geodata show {finding}."


def check_claim(
    claim: dict, *, data_dir: Path | str | None = None, _geo: GeoData | None = None
) -> dict:
    """Verdict, evidence and figures for one claim (a row of :func:`geo.load_claims` as a dict).

    A check gives a verdict (consistent, partly consistent, not consistent) only when it tests
    what the claim asserts (``tests: assertion``); otherwise what it computes is context.

    Returns ``{"verdict": ..., "evidence": ..., "figures": {...}}``.
    """
    geo = _geo or GeoData(data_dir)
    pred = claim.get("predicate")
    if claim.get("kind") == "opinion":
        return {
            "verdict": "not_checkable",
            "evidence": "Opinion: recorded, not checked.",
            "figures": {},
        }
    if not isinstance(pred, str):
        reason = str(claim.get("reason") or "no check given").rstrip(".")
        text = (
            reason[0].upper() + reason[1:]
            if reason.lower().startswith("not checkable")
            else f"Not checked: {reason}"
        )
        return {"verdict": "not_checkable", "evidence": f"{text}.", "figures": {}}
    spec = registry.get(pred)
    if spec is None:  # a claims file is validated on load; a row made by hand may not be
        return {"verdict": "not_checkable", "evidence": f"Not checked: no predicate {pred}.",
                "figures": {}}
    try:
        verdict, assertion, finding, figures = spec.check(
            geo, dict(claim.get("args") or {}), claim
        )
    except (NotCheckable, UnknownRouteError, UnknownPlaceError) as err:
        return {"verdict": "not_checkable", "evidence": f"Not checked: {err}.", "figures": {}}
    args = dict(claim.get("args") or {})
    if verdict in VERDICTS_ON_ASSERTION and not (tied_to_assertion(claim)
                                                 and gives_verdict(pred, args)):
        verdict = "context_only"  # not what the claim asserts, or no verdict argument given
    evidence = _evidence(claim, verdict, assertion, finding)
    # A verdict that rests on today's statuses says which of their records are old (the
    # statuses of a past date come from the dated history, not from the current record).
    note = stale_text(figures.get("stale_segments") or []) if geo.when is None else ""
    return {
        "verdict": verdict,
        "evidence": f"{evidence} Note: {note}." if note else evidence,
        "figures": figures,
        "core_evidence": evidence,
    }


def check_claims(
    claims: pd.DataFrame | None = None,
    data_dir: Path | str | None = None,
    *,
    as_of: str | None = None,
) -> pd.DataFrame:
    """The claims with ``verdict``, ``evidence`` and ``figures`` computed from the geodata.

    Each claim is checked against the network of its article's date (``check_as_of``: the
    article's date, or the date that stands for it) and of today; where the two differ, the
    evidence gives both ("As of 2025-02: ... Today (2026-11-30): ...").

    Parameters
    ----------
    claims
        Rows as from :func:`geo.load_claims` (default: every claims file of ``data_dir``).
    data_dir
        Data folder (default ``settings.data_dir``).
    as_of
        Check every claim as of this date instead (a date or "today").

    Returns
    -------
    pandas.DataFrame
        ``claims`` (same index) plus ``verdict`` (one of ``consistent``,
        ``partly_consistent``, ``inconsistent``, ``context_only``, ``not_checkable``),
        ``evidence`` (neutral text quoting the computed numbers), ``figures`` (dict of them),
        ``checked_as_of`` (the date used, or "today"), ``verdict_today`` and
        ``evidence_today``.
    """
    if claims is None:
        claims = load_claims(data_dir=data_dir)
    today = settings_today().isoformat()
    views: dict = {}

    def view(when: str) -> GeoData:
        if when not in views:
            views[when] = GeoData(data_dir, None if when == "today" else when)
        return views[when]

    results = []
    for row in claims.to_dict("records"):
        when = as_of or row.get("check_as_of") or "today"
        now = check_claim(row, _geo=view("today"))
        then = now if when == "today" else check_claim(row, _geo=view(when))
        result = dict(then)
        result.update(checked_as_of=when, verdict_today=now["verdict"], evidence_today=now["evidence"])
        result.pop("core_evidence", None)
        if when != "today" and (then["verdict"], then.get("core_evidence", then["evidence"])) != (
                now["verdict"], now.get("core_evidence", now["evidence"])):
            result["evidence"] = f"As of {when}: {then['evidence']} Today ({today}): {now['evidence']}"
        results.append(result)
    out = claims.copy()
    for key in ("verdict", "evidence", "figures", "checked_as_of", "verdict_today",
                "evidence_today"):
        out[key] = pd.Series([r[key] for r in results], index=claims.index, dtype=object)
    return out


# ---------------------------------------------------------------------------------------------
# A point per claim, for the map


def _locate(geo: GeoData, row: dict):
    for point in row.get("points") or []:
        return Point(point["lon"], point["lat"]), "point", point.get("label") or ""
    for pid in row.get("places") or []:
        try:
            return geo.place_point(pid), "place", geo.place_name(pid)
        except NotCheckable:
            continue
    for rid in row.get("routes") or []:
        try:
            line = geo.route_geom(rid)
        except NotCheckable:
            continue
        return line.interpolate(0.5, normalized=True), "route", geo.route_name(rid)
    args = row.get("args") or {}
    if row.get("predicate") in ("shares_border", "border_share_near_route"):
        try:
            line = geo.border_line(args["a"], args["b"])
        except NotCheckable:
            line = None
        if line is not None and not line.is_empty:
            where = f"{geo.area_name(args['a'])} – {geo.area_name(args['b'])} border"
            return shapely.line_interpolate_point(line, 0.5, normalized=True), "border", where
    for code in row.get("countries") or []:
        try:
            return geo.area(code).representative_point(), "country", geo.area_name(code)
        except NotCheckable:
            continue
    return None, "none", ""


def claims_gdf(
    checked: pd.DataFrame | None = None, data_dir: Path | str | None = None
) -> gpd.GeoDataFrame:
    """One point per claim for the map, with every column of :func:`check_claims`.

    The point is the claim's first coordinate (``points``), else its first place, else the
    middle of its first route, else the middle of the shared border its check names, else a
    point inside its first country; claims with none of these get an empty geometry.
    Added columns: ``located_by`` ({"point", "place", "route", "border", "country", "none"})
    and ``location`` (the name of what the point stands for).
    """
    if checked is None:
        checked = check_claims(data_dir=data_dir)
    geo = GeoData(data_dir)
    located = [_locate(geo, row) for row in checked.to_dict("records")]
    out = checked.copy()
    out["located_by"] = pd.Series([loc[1] for loc in located], index=checked.index, dtype=object)
    out["location"] = pd.Series([loc[2] for loc in located], index=checked.index, dtype=object)
    return gpd.GeoDataFrame(out, geometry=[loc[0] for loc in located], crs=settings.crs)


__all__ = ["check_claim", "check_claims", "claims_gdf", "preview"]


def preview(doc: dict, data_dir: Path | str | None = None) -> pd.DataFrame:
    """What each claim of a (draft) claims document would show: its places, routes and check,
    and the verdict and evidence it would get, for review before saving.

    Columns: ``claim_id``, ``kind``, ``places``, ``routes``, ``check`` (the predicate and its
    arguments in words), ``verdict``, ``evidence``.
    """
    rows = [claim_row(doc["article"], claim) for claim in doc.get("claims") or []]
    columns = ["claim_id", "kind", "places", "routes", "check", "verdict", "evidence"]
    if not rows:
        return pd.DataFrame(columns=columns)
    checked = check_claims(pd.DataFrame(rows), data_dir)
    checked["check"] = [
        "none: " + str(r["reason"] or "") if not isinstance(r["predicate"], str) else
        f"{r['predicate']}({', '.join(f'{k}={v}' for k, v in r['args'].items())})"
        + (f" [{r['tests']}]" if isinstance(r.get("tests"), str) else "")
        for r in checked.to_dict("records")]
    return checked[columns].reset_index(drop=True)


def claims_on_topic(topic: str, claims: pd.DataFrame | None = None,
                    data_dir: Path | str | None = None, *, as_of: str | None = None
                    ) -> pd.DataFrame:
    """Every claim on ``topic`` (an id of ``geo.vocab.TOPICS``) side by side, by article date.

    One row per claim: ``article_date`` ("undated" where the article gives none),
    ``publication``, ``outlet_country``, ``language``, ``claim_id``, ``quote``,
    ``stated_km`` (the figure the claim states, where its check reads one), ``geodata_km``
    (the network's best estimate on the date checked), ``checked_as_of``, ``verdict`` and
    ``verdict_today``, and ``routes`` (the routes the claim names or is checked on: what a map
    of the topic shows). A verdict is about one claim against the geodata, never about an
    outlet.

    Raises ``ValueError`` for a topic the vocabulary does not hold.
    """
    if topic not in TOPICS:
        msg = f"unknown topic {topic!r}: choose one of {', '.join(sorted(TOPICS))}"
        raise ValueError(msg)
    if claims is None:
        claims = load_claims(data_dir=data_dir)
    on_topic = claims[claims["topics"].map(lambda t: topic in (t or []))]
    checked = check_claims(on_topic, data_dir, as_of=as_of)
    figures = [f if isinstance(f, dict) else {} for f in checked.get("figures", [])]
    out = pd.DataFrame({
        "article_date": checked["article_date"].fillna("undated").to_numpy(),
        "publication": checked["publication"].to_numpy(),
        "outlet_country": checked["outlet_country"].to_numpy(),
        "language": checked["language"].to_numpy(),
        "claim_id": checked["claim_id"].to_numpy(),
        "quote": checked["quote"].to_numpy(),
        "stated_km": [f.get("stated_km") for f in figures],
        "geodata_km": [f.get("network_km") for f in figures],
        "checked_as_of": checked["checked_as_of"].to_numpy(),
        "verdict": checked["verdict"].to_numpy(),
        "verdict_today": (checked["verdict_today"].to_numpy() if "verdict_today" in checked
                          else checked["verdict"].to_numpy()),
        "routes": [sorted(set(r) | ({a["route"]} if isinstance(a, dict) and a.get("route")
                                     else set()))
                   for r, a in zip(checked["routes"], checked["args"], strict=True)],
    })
    return out.sort_values(["article_date", "publication", "claim_id"]).reset_index(drop=True)


PROJECT_COLUMNS = ["segment", "segment_name", "field", "value", "amount", "currency", "date",
                   "article_date", "publication", "outlet_country", "article_id", "claim_id",
                   "quote"]


def project_records(claims: pd.DataFrame | None = None,
                    data_dir: Path | str | None = None) -> pd.DataFrame:
    """What the articles state about each segment's project, one row per statement.

    Who builds it (``contractor``), who lends or pays (``lender``, ``loan``, ``financing``),
    what it costs (``cost``) and when it starts or opens, each with its article as source:
    the claim's ``project`` records (``geo.vocab.PROJECT_FIELDS``). Statements that differ stay
    side by side, sorted by segment, field and article date; none is preferred.
    """
    if claims is None:
        claims = load_claims(data_dir=data_dir)
    names = GeoData(data_dir).segments["name"] if len(claims) else pd.Series(dtype=str)
    rows = []
    for claim in claims.to_dict("records"):
        for rec in claim.get("project") or []:
            seg = rec["segment"]
            rows.append({
                "segment": seg, "segment_name": names.get(seg, seg),
                "field": rec["field"], "value": rec["value"], "amount": rec.get("amount"),
                "currency": rec.get("currency"), "date": rec.get("date"),
                "article_date": claim.get("article_date") or "undated",
                "publication": claim.get("publication"),
                "outlet_country": claim.get("outlet_country"),
                "article_id": claim["article_id"], "claim_id": claim["claim_id"],
                "quote": claim["quote"]})
    out = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    return out.sort_values(["segment", "field", "article_date", "claim_id"]).reset_index(
        drop=True)


def project_texts(records: pd.DataFrame) -> dict[str, str]:
    """Each segment's project statements as one line of text for its popup: "loan: Russia
    will allocate 1.3 billion euros (AzerNews, 2023-10-28); cost: ..." (differing statements
    side by side, in the order of :func:`project_records`)."""
    from ..vocab import PROJECT_FIELDS

    out: dict[str, list[str]] = {}
    for rec in records.to_dict("records"):
        source = ", ".join(str(x) for x in (rec["publication"], rec["article_date"]) if x)
        out.setdefault(rec["segment"], []).append(
            f"{PROJECT_FIELDS.get(rec['field'], rec['field'])}: {rec['value']} ({source})")
    return {seg: "; ".join(lines) for seg, lines in out.items()}

