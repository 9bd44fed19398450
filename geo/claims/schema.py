"""The claims file schema: fields, vocabularies, predicate arguments, and the validator.

A file holds ``article`` (publication, title or a note, date or a dated note, URL, kind,
language ...) and ``claims``: each with an id, the verbatim quote, a neutral one-line summary,
who makes it, a kind, the features it refers to, a date where it is an event, context from
named sources and a ``check`` (a predicate of :mod:`geo.claims.predicates` with its
arguments, or none with a reason).

:func:`validate_claims` checks a whole document (schema, vocabularies, dates, and that place,
route and country ids exist in the geodata) and returns every problem by claim and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import settings
from .._errors import ClaimsFileError
from .._validate import NOT_A_DAY, Problem, Problems, is_blank, real_date
from ..data import load_places, load_routes, load_segments, load_territories
from ..vocab import (
    ARTICLE_KINDS,
    CLAIM_KINDS,
    COMPARISONS,
    DATE_PRECISIONS,
    DIRECTIONS,
    EXTENTS,
    MODES,
    PROJECT_FIELDS,
    ROLES,
    TENSES,
    TOPICS,
)
from .lines import (
    LINE_BREAK_NAMES,
    LINE_BREAKS,
    SINGLE_LINE_CLAIM,
    SINGLE_LINE_NESTED,
)
from .registry import PREDICATE_ARGS
from .rules import TESTS

ARTICLE_FIELDS = (
    "id",
    "publication",
    "title",
    "title_note",
    "author",
    "author_note",
    "date",
    "date_note",
    "url",
    "kind",
    "language",
    "source_file",
    "as_of",
    "date_for_checks",
    "date_for_checks_note",
    "outlet_country",
)
CLAIM_FIELDS = (
    "id",
    "quote",
    "summary",
    "attribution",
    "kind",
    "features",
    "date",
    "context",
    "check",
    "review",
    "notes",
    "topics",
    "project",
)
FEATURE_FIELDS = ("places", "routes", "countries", "points")
POINT_FIELDS = ("lon", "lat", "precision_km", "label")

COLUMNS = [
    "article_id",
    "claim_id",
    "quote",
    "summary",
    "who",
    "role",
    "kind",
    "places",
    "routes",
    "countries",
    "points",
    "date",
    "date_precision",
    "date_source",
    "context",
    "predicate",
    "args",
    "reason",
    "tests",
    "why",
    "check_as_of",
    "publication",
    "article_kind",
    "article_title",
    "article_date",
    "topics",
    "outlet_country",
    "language",
    "project",
]
ARTICLE_COLUMNS = [
    "article_id",
    "publication",
    "title",
    "title_note",
    "author",
    "author_note",
    "date",
    "date_note",
    "url",
    "kind",
    "language",
    "source_file",
    "as_of",
    "n_claims",
    "path",
]

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
CODE_PATTERN = re.compile(r"[A-Z]{3}(-[A-Z]{2})?")
LANG_PATTERN = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
DATE_PATTERNS = {
    "year": re.compile(r"\d{4}"),
    "month": re.compile(r"\d{4}-(0[1-9]|1[0-2])"),
    "day": re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"),
}


def new_problems(file: object) -> Problems:
    """A problem collector for one claims file (raises :class:`~geo.ClaimsFileError`)."""
    return Problems(file, error=ClaimsFileError, noun="claim")


def raise_problems(problems: list[Problem]) -> None:
    """Raise one :class:`~geo.ClaimsFileError` listing ``problems``, if there are any."""
    if problems:
        raise ClaimsFileError(problems)


# ---------------------------------------------------------------------------------------------
# Reference data (ids the claims may name), read only where the data files exist


@dataclass
class Refs:
    places: set | None
    routes: set | None
    territories: set | None
    segments: set | None = None


def known_ids(data_dir: Path) -> Refs:
    def ids(loader, *names):
        if not all((data_dir / n).exists() for n in names):
            return None
        return set(loader(data_dir).index)

    return Refs(
        places=ids(load_places, "places.csv", "borders.geojson"),
        routes=ids(load_routes, "routes.yaml", "segments.geojson", "places.csv", "borders.geojson"),
        territories=ids(load_territories, "borders.geojson"),
        segments=ids(load_segments, "segments.geojson", "places.csv", "borders.geojson"),
    )


# ---------------------------------------------------------------------------------------------
# Validation


class _Checker:
    """Collects problems of one claims document (the article block and every claim)."""

    def __init__(self, file: str, refs: Refs) -> None:
        self.refs = refs
        self.collected = new_problems(file)

    @property
    def problems(self) -> list[Problem]:
        return self.collected.items

    def add(self, claim: str, field: str, value: object, message: str) -> None:
        self.collected.add(claim, field, value, message)

    # -- small checks -------------------------------------------------------------------------

    def date(self, cid: str, field: str, value: object, precision: str | None = None) -> None:
        text = "" if value is None else str(value)
        kinds = [precision] if precision in DATE_PATTERNS else list(DATE_PATTERNS)
        if not any(DATE_PATTERNS[k].fullmatch(text) for k in kinds):
            shape = {"year": "YYYY", "month": "YYYY-MM", "day": "YYYY-MM-DD"}
            wanted = " or ".join(shape[k] for k in kinds)
            self.add(cid, field, value, f"must be a date {wanted}")
        elif not real_date(text):  # YAML dates reach here as text: 2025-02-30 is judged here
            self.add(cid, field, value, NOT_A_DAY)

    def single_line(self, cid: str, where: str, mapping: dict, fields) -> None:
        """Single-line fields must hold no line break (of any kind: U+2028 too)."""
        for field in fields:
            value = mapping.get(field)
            found = LINE_BREAKS.search(value) if isinstance(value, str) else None
            if found:
                name = LINE_BREAK_NAMES.get(found.group(), f"U+{ord(found.group()):04X}")
                self.add(cid, f"{where}{field}", value,
                         f"must be one line, but holds a line break ({name})")

    def unknown_keys(self, cid: str, where: str, mapping: dict, allowed) -> None:
        for key, value in mapping.items():
            if key not in allowed:
                self.add(
                    cid,
                    f"{where}{key}",
                    value,
                    f"unknown field; allowed: {', '.join(allowed)}",
                )

    def ref(self, cid: str, field: str, value: object, kind: str) -> None:
        """Check that ``value`` names a known place / route / territory (kind)."""
        known = getattr(self.refs, kind)
        noun = {"places": "place", "routes": "route", "territories": "country or unit",
                "segments": "segment"}[kind]
        if not isinstance(value, str) or is_blank(value):
            self.add(cid, field, value, f"must be a {noun} id (text)")
        elif known is not None and value not in known:
            self.add(cid, field, value, f"unknown {noun} id")

    # -- article --------------------------------------------------------------------------------

    def article(self, art: object, expected_id: str | None) -> str | None:
        cid = "(article)"
        if not isinstance(art, dict):
            self.add(cid, "article", art, "must be a mapping with the article's details")
            return None
        self.unknown_keys(cid, "", art, ARTICLE_FIELDS)
        self.single_line(cid, "", art, ARTICLE_FIELDS)
        aid = art.get("id")
        if not isinstance(aid, str) or not ID_PATTERN.fullmatch(aid):
            self.add(cid, "id", aid, "must be lowercase letters, digits and '-' (up to 80)")
        elif expected_id is not None and aid != expected_id:
            self.add(cid, "id", aid, f"must match the file name {expected_id!r}")
        if is_blank(art.get("publication")):
            self.add(cid, "publication", art.get("publication"), "is required")
        for field in ("title", "author", "date"):
            if is_blank(art.get(field)) and is_blank(art.get(f"{field}_note")):
                self.add(
                    cid, field, art.get(field), f"give the {field} or a {field}_note saying why not"
                )
        if not is_blank(art.get("date")):
            self.date(cid, "date", art.get("date"))
        url = art.get("url")
        if not is_blank(url) and not re.match(r"https?://\S+$", str(url)):
            self.add(cid, "url", url, "must be an http(s) address")
        if art.get("kind") not in ARTICLE_KINDS:
            self.add(cid, "kind", art.get("kind"), f"must be one of {sorted(ARTICLE_KINDS)}")
        lang = art.get("language")
        if not isinstance(lang, str) or not LANG_PATTERN.fullmatch(lang):
            self.add(cid, "language", lang, "must be a language code such as 'en' or 'az'")
        outlet = art.get("outlet_country")  # where the outlet is based (ISO3), for filters
        if outlet is not None and not (isinstance(outlet, str)
                                       and re.fullmatch(r"[A-Z]{3}", outlet)):
            self.add(cid, "outlet_country", outlet, "must be an ISO3 code such as 'AZE' or null")
        self.date(cid, "as_of", art.get("as_of"))
        if not is_blank(art.get("date_for_checks")):
            self.date(cid, "date_for_checks", art.get("date_for_checks"))
            if is_blank(art.get("date_for_checks_note")):
                self.add(cid, "date_for_checks_note", None,
                         "say why this date stands for the article's (it has no date of its own)")
        return aid if isinstance(aid, str) else None

    # -- claims ---------------------------------------------------------------------------------

    def claims(self, items: object) -> None:
        if not isinstance(items, list) or not items:
            self.add("(article)", "claims", items, "must be a non-empty list of claims")
            return
        seen: set = set()
        for i, claim in enumerate(items):
            if not isinstance(claim, dict):
                self.add(f"#{i + 1}", "(claim)", claim, "must be a mapping")
                continue
            cid = claim.get("id")
            label = cid if isinstance(cid, str) and cid else f"#{i + 1}"
            if not isinstance(cid, str) or not ID_PATTERN.fullmatch(cid):
                self.add(label, "id", cid, "must be lowercase letters, digits and '-' (up to 80)")
            elif cid in seen:
                self.add(label, "id", cid, "duplicate claim id")
            seen.add(cid)
            self.claim(label, claim)

    def claim(self, cid: str, claim: dict) -> None:
        self.unknown_keys(cid, "", claim, CLAIM_FIELDS)
        self.single_line(cid, "", claim, SINGLE_LINE_CLAIM)
        for key, fields in SINGLE_LINE_NESTED.items():
            if isinstance(claim.get(key), dict):
                self.single_line(cid, f"{key}.", claim[key], fields)
        for field in ("quote", "summary"):
            if not isinstance(claim.get(field), str) or is_blank(claim.get(field)):
                self.add(cid, field, claim.get(field), "is required (text)")
        att = claim.get("attribution")
        if not isinstance(att, dict):
            self.add(cid, "attribution", att, "must be a mapping {who, role}")
        else:
            self.unknown_keys(cid, "attribution.", att, ("who", "role"))
            if is_blank(att.get("who")):
                self.add(cid, "attribution.who", att.get("who"), "is required")
            if att.get("role") not in ROLES:
                self.add(
                    cid, "attribution.role", att.get("role"), f"must be one of {sorted(ROLES)}"
                )
        kind = claim.get("kind")
        if kind not in CLAIM_KINDS:
            self.add(cid, "kind", kind, f"must be one of {sorted(CLAIM_KINDS)}")
        self.features(cid, claim.get("features"))
        self.project(cid, claim.get("project"))
        topics = claim.get("topics")
        if topics is not None and (not isinstance(topics, list) or not topics
                                   or any(t not in TOPICS for t in topics)):
            self.add(cid, "topics", topics, f"must be a list of topics of {sorted(TOPICS)}")
        self.claim_date(cid, kind, claim.get("date"))
        self.context(cid, claim.get("context"))
        self.check(cid, kind, claim.get("check"))

    def project(self, cid: str, records: object) -> None:
        """A claim's project records: who builds or pays for a segment, what it costs, when."""
        if records is None:
            return
        if not isinstance(records, list) or not records:
            self.add(cid, "project", records, "must be a list of records {segment, field, value}")
            return
        for i, rec in enumerate(records):
            where = f"project[{i}]"
            if not isinstance(rec, dict):
                self.add(cid, where, rec, "must be a mapping {segment, field, value, ...}")
                continue
            self.unknown_keys(cid, f"{where}.", rec,
                              ("segment", "field", "value", "amount", "currency", "date"))
            self.ref(cid, f"{where}.segment", rec.get("segment"), "segments")
            if rec.get("field") not in PROJECT_FIELDS:
                self.add(cid, f"{where}.field", rec.get("field"),
                         f"must be one of {sorted(PROJECT_FIELDS)}")
            if not isinstance(rec.get("value"), str) or is_blank(rec.get("value")):
                self.add(cid, f"{where}.value", rec.get("value"), "must be text: what it states")
            amount = rec.get("amount")
            if amount is not None and (isinstance(amount, bool)
                                       or not isinstance(amount, int | float) or amount <= 0):
                self.add(cid, f"{where}.amount", amount, "must be a positive number")
            currency = rec.get("currency")
            if currency is not None and not (isinstance(currency, str)
                                             and re.fullmatch(r"[A-Z]{3}", currency)):
                self.add(cid, f"{where}.currency", currency, "must be a code such as 'EUR'")
            if (amount is None) != (currency is None):
                self.add(cid, f"{where}.amount", amount, "an amount needs its currency")
            day = rec.get("date")
            if day is not None and not (isinstance(day, str) and any(
                    pat.fullmatch(day) for pat in DATE_PATTERNS.values())):
                self.add(cid, f"{where}.date", day, "must be YYYY, YYYY-MM or YYYY-MM-DD")

    def features(self, cid: str, feats: object) -> None:
        if feats is None:
            return
        if not isinstance(feats, dict):
            self.add(
                cid, "features", feats, "must be a mapping {places, routes, countries, points}"
            )
            return
        self.unknown_keys(cid, "features.", feats, FEATURE_FIELDS)
        for field, kind in (("places", "places"), ("routes", "routes")):
            values = feats.get(field) or []
            if not isinstance(values, list):
                self.add(cid, f"features.{field}", values, "must be a list of ids")
                continue
            for value in values:
                self.ref(cid, f"features.{field}", value, kind)
        countries = feats.get("countries") or []
        if not isinstance(countries, list):
            self.add(cid, "features.countries", countries, "must be a list of ISO3 codes")
        else:
            for code in countries:
                if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
                    self.add(
                        cid,
                        "features.countries",
                        code,
                        "must be an ISO3 code such as 'AZE' (or 'AZE-NX')",
                    )
        points = feats.get("points") or []
        if not isinstance(points, list):
            self.add(
                cid, "features.points", points, "must be a list of {lon, lat, precision_km, label}"
            )
            return
        for j, point in enumerate(points):
            self.point(cid, f"features.points[{j}]", point, need_precision=True)

    def point(self, cid: str, field: str, point: object, *, need_precision: bool) -> None:
        if not isinstance(point, dict):
            self.add(cid, field, point, "must be a mapping {lon, lat, precision_km, label}")
            return
        self.unknown_keys(cid, f"{field}.", point, POINT_FIELDS)
        for key, low, high in (("lon", -180, 180), ("lat", -90, 90)):
            value = point.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.add(cid, f"{field}.{key}", value, "must be a number")
            elif not low <= value <= high:
                self.add(cid, f"{field}.{key}", value, f"out of range {low}..{high}")
        prec = point.get("precision_km")
        if prec is None and not need_precision:
            return
        if isinstance(prec, bool) or not isinstance(prec, int | float) or prec <= 0:
            self.add(cid, f"{field}.precision_km", prec, "must be a positive number of km")

    def claim_date(self, cid: str, kind: object, date: object) -> None:
        if date is None:
            if kind == "event":
                self.add(cid, "date", None, "an event needs a date {value, precision, source}")
            return
        if not isinstance(date, dict):
            self.add(cid, "date", date, "must be a mapping {value, precision, source}")
            return
        self.unknown_keys(cid, "date.", date, ("value", "precision", "source"))
        precision = date.get("precision")
        if precision not in DATE_PRECISIONS:
            self.add(cid, "date.precision", precision, f"must be one of {sorted(DATE_PRECISIONS)}")
        value = date.get("value")
        if precision == "unknown":
            if not is_blank(value):
                self.add(cid, "date.value", value, "must be empty when the precision is 'unknown'")
        elif precision in DATE_PATTERNS:
            self.date(cid, "date.value", value, precision)
        if is_blank(date.get("source")):
            self.add(
                cid,
                "date.source",
                date.get("source"),
                "name the source of the date (or why it is unknown)",
            )

    def context(self, cid: str, items: object) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            self.add(cid, "context", items, "must be a list of {text, source}")
            return
        for j, item in enumerate(items):
            if not isinstance(item, dict):
                self.add(cid, f"context[{j}]", item, "must be a mapping {text, source}")
                continue
            self.unknown_keys(cid, f"context[{j}].", item, ("text", "source"))
            for key in ("text", "source"):
                if is_blank(item.get(key)):
                    self.add(cid, f"context[{j}].{key}", item.get(key), "is required")

    def check(self, cid: str, kind: object, check: object) -> None:
        if not isinstance(check, dict):
            self.add(cid, "check", check, "must be a mapping {predicate, args, reason}")
            return
        self.unknown_keys(cid, "check.", check, ("predicate", "args", "reason", "tests", "why"))
        if check.get("tests") is not None and check.get("tests") not in TESTS:
            self.add(cid, "check.tests", check.get("tests"), f"must be one of {list(TESTS)}")
        if check.get("tests") is not None and is_blank(check.get("why")):
            self.add(cid, "check.why", check.get("why"),
                     "say why the check tests the claim's assertion (or only gives context)")
        pred, args = check.get("predicate"), check.get("args")
        if args is None:
            args = {}
        if not isinstance(args, dict):
            self.add(cid, "check.args", args, "must be a mapping")
            args = {}
        if pred is None:
            if is_blank(check.get("reason")):
                self.add(
                    cid, "check.reason", check.get("reason"), "say why the claim is not checked"
                )
            if args:
                self.add(cid, "check.args", args, "must be empty when there is no predicate")
            return
        if kind == "opinion":
            self.add(cid, "check.predicate", pred, "opinions are recorded, not checked: use null")
        spec = PREDICATE_ARGS.get(pred)
        if spec is None:
            self.add(
                cid, "check.predicate", pred, f"must be null or one of {sorted(PREDICATE_ARGS)}"
            )
            return
        for name, (_, required) in spec.items():
            if required and name not in args:
                self.add(cid, f"check.args.{name}", None, f"is required by {pred}")
        for name, value in args.items():
            if name not in spec:
                self.add(
                    cid,
                    f"check.args.{name}",
                    value,
                    f"not an argument of {pred}; use {', '.join(spec)}",
                )
                continue
            self.arg(cid, f"check.args.{name}", value, spec[name][0])

    def arg(self, cid: str, field: str, value: object, kind: str) -> None:
        if kind == "route":
            self.ref(cid, field, value, "routes")
        elif kind == "place":
            self.ref(cid, field, value, "places")
        elif kind == "segment_list":
            if not isinstance(value, list) or not value:
                self.add(cid, field, value, "must be a list of segment ids")
            else:
                for item in value:
                    self.ref(cid, field, item, "segments")
        elif kind == "text":
            if not isinstance(value, str) or is_blank(value):
                self.add(cid, field, value, "must be text")
        elif kind == "mode":
            if value not in MODES:
                self.add(cid, field, value, f"must be one of {list(MODES)}")
        elif kind == "territory":
            self.ref(cid, field, value, "territories")
        elif kind == "place_or_point":
            if isinstance(value, dict):
                self.point(cid, field, value, need_precision=False)
            else:
                self.ref(cid, field, value, "places")
        elif kind == "place_or_territory":
            terr, places = self.refs.territories, self.refs.places
            if not isinstance(value, str) or is_blank(value):
                self.add(cid, field, value, "must be a place id or a country code")
            elif CODE_PATTERN.fullmatch(value):
                self.ref(cid, field, value, "territories")
            elif places is not None and value not in places and (terr is None or value not in terr):
                self.add(cid, field, value, "unknown place id or country code")
        elif kind == "bool":
            if not isinstance(value, bool):
                self.add(cid, field, value, "must be true or false")
        elif kind == "km":
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                self.add(cid, field, value, "must be a positive number of km")
        elif kind == "share":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                self.add(cid, field, value, "must be a share between 0 and 1")
        else:
            allowed = {"extent": EXTENTS, "comparison": COMPARISONS, "direction": DIRECTIONS,
                       "tense": TENSES}[kind]
            if value not in allowed:
                self.add(cid, field, value, f"must be one of {sorted(allowed)}")


def validate_claims(
    doc: object,
    *,
    data_dir: Path | str | None = None,
    source: str = "<claims document>",
    expected_id: str | None = None,
) -> list[Problem]:
    """Every problem of a claims document (as read from YAML); an empty list when it is valid.

    Checks the article block, each claim's fields, vocabularies and dates, that opinions carry
    no predicate, that predicate arguments are complete, and that place, route and country ids
    exist in the geodata of ``data_dir`` (each kind checked where its data file exists).

    Parameters
    ----------
    doc
        A mapping ``{"article": {...}, "claims": [...]}``.
    data_dir
        Data folder for the id checks (default ``settings.data_dir``).
    source
        File name used in the messages.
    expected_id
        Article id the document must have (the file name stem), if any.
    """
    refs = known_ids(Path(data_dir or settings.data_dir))
    return validate_document(doc, source=source, refs=refs, expected_id=expected_id)


def validate_document(
    doc: object, *, source: str, refs: Refs, expected_id: str | None
) -> list[Problem]:
    checker = _Checker(source, refs)
    if not isinstance(doc, dict):
        checker.add(
            "(file)",
            "(document)",
            type(doc).__name__,
            "must be a mapping with 'article' and 'claims'",
        )
        return checker.problems
    checker.unknown_keys("(file)", "", doc, ("article", "claims"))
    checker.article(doc.get("article"), expected_id)
    checker.claims(doc.get("claims"))
    return checker.problems
