"""Time and cost assumptions (``data/assumptions.yaml``): low, central and high, each with its source.

The file has four groups:

``speed_kmh``, ``cost_usd_per_km``
    Per mode {"rail", "road", "sea", "ferry"}: a ``default`` entry; optionally one entry per
    segment status (``planned``, ``disrupted`` ...) and, under ``countries``, one per ISO3
    country. The part of a segment inside a country uses that country's entry; a status entry
    wins over both.
``dwell_h``, ``cost_usd``
    Per event of :data:`geo.vocab.EVENTS`. ``border_crossing`` (a land crossing) is split by
    the mode that crosses, ``rail`` or ``road``; ``transshipment`` by where the mode changes,
    ``port`` (to or from water) or ``terminal`` (between rail and road); either may also have a
    ``default``. ``port_call``, ``train_formation`` and ``ferry_wait`` take time only: their
    cost is in the freight.

Every entry has ``low``, ``central`` and ``high`` (``low <= central <= high``), ``unit`` and
``basis`` {"published", "proxy", "fitted", "unsourced", "scenario"}: *published* figures
measure the thing itself on comparable corridors; *proxy* figures measure a comparable operation
or place (``applies`` says which and why); *fitted* values are solved from published door-to-door
figures, which ``fitted_to`` names by their ids in ``observations.yaml`` (``measured`` shows the
arithmetic; ``corridors calibration`` then checks the model against the figures it was not
fitted to); *unsourced* is a working assumption with no published figure; *scenario* is a value
a user set. ``source`` names the source of each value; ``url``, ``date`` and ``measured`` (what
the source measured) are required unless the basis is unsourced or scenario; ``applies`` says
why the figure applies here. ``notes`` is optional. ``includes`` lists the components of
:data:`geo.vocab.COMPONENTS` other than its own that the measured figure also covers (a sea rate
taken from an all-in price includes port handling), so that an estimate never counts one twice
(:func:`geo.timecost.double_counted`).

Each entry has an id, ``<group>.<key>.<variant>`` (``speed_kmh.rail.default``,
``speed_kmh.rail.IRN``, ``dwell_h.border_crossing.road``) or ``<group>.<event>`` for an event
without variants (``dwell_h.gauge_break``). A data folder without ``assumptions.yaml`` uses the
file shipped with the package; ``settings.assumptions_file`` (the CLI's ``--assumptions``)
replaces both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import settings
from ._validate import Problems, check_date, is_blank, read_yaml
from .files import data_path, file_stamp
from .ranges import Range
from .vocab import ASSUMPTION_BASES, COMPONENTS, COST_UNITS, EVENT_VARIANTS, EVENTS, MODES, STATUSES

PER_MODE = ("speed_kmh", "cost_usd_per_km")
PER_EVENT = ("dwell_h", "cost_usd")
GROUPS = PER_MODE + PER_EVENT
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "assumptions.yaml"
# Fields of an entry, in the order files and tables give them.
ENTRY_FIELDS = ("low", "central", "high", "unit", "basis", "source", "url", "date", "measured",
                "applies", "notes", "fitted_to", "includes")
# Fields holding lists (of observation ids, of components).
LIST_FIELDS = ("fitted_to", "includes")
TABLE_COLUMNS = ["id", "group", "key", "variant", *ENTRY_FIELDS]
# A country's ISO3 code, or a water body's code in the borders file (CASPIAN, SEA).
_ISO3 = re.compile(r"[A-Z]{3,12}")
# Bases that need no url, date or measured: nothing was published, or a user set the value.
_UNPUBLISHED = frozenset({"unsourced", "scenario"})


@dataclass(frozen=True)
class Assumption:
    """One assumed figure as a low-central-high range, with its unit, basis and source."""

    id: str
    group: str
    key: str
    variant: str | None
    low: float
    central: float
    high: float
    unit: str
    basis: str
    source: str
    url: tuple[str, ...] = ()
    date: str = ""
    measured: str = ""
    applies: str = ""
    notes: str = ""
    fitted_to: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()

    @property
    def value(self) -> float:
        """The central value (what a single-figure estimate uses)."""
        return self.central

    @property
    def range(self) -> Range:
        return Range(self.low, self.central, self.high)

    @property
    def component(self) -> str:
        """What this figure adds to an estimate (one of :data:`geo.vocab.COMPONENTS`):
        ``haulage.rail`` for ``cost_usd_per_km.rail.IRN``, ``dwell.gauge_break`` ..."""
        return f"{_COMPONENT_PREFIX[self.group]}.{self.key}"


@dataclass(frozen=True, eq=False)
class Assumptions:
    """The assumptions of one file; look figures up with the methods, list them with ``table``."""

    path: str
    as_of: str
    cargo_unit: str
    currency: str
    cost_per: str = "TEU"
    entries: dict = field(default_factory=dict)  # id -> Assumption

    def per_mode(self, group: str, mode: str, status: str | None = None,
                 country: str | None = None) -> Assumption | None:
        """Entry of ``group`` {"speed_kmh", "cost_usd_per_km"} for a mode, status and country.

        The status entry when the file has one, else the country's, else the mode's
        ``default``; None when the mode has no entry at all.
        """
        for variant in (status, country, "default"):
            if variant and f"{group}.{mode}.{variant}" in self.entries:
                return self.entries[f"{group}.{mode}.{variant}"]
        return None

    def per_event(self, group: str, event: str, variant: str | None = None) -> Assumption | None:
        """Entry of ``group`` {"dwell_h", "cost_usd"} for an event and its variant.

        The variant's entry (``rail``, ``port`` ...), else the event's ``default``, else the
        event's single entry; None when the file has none.
        """
        for key in (f"{group}.{event}.{variant}" if variant else None,
                    f"{group}.{event}.default", f"{group}.{event}"):
            if key and key in self.entries:
                return self.entries[key]
        return None

    def bases(self) -> dict[str, int]:
        """How many entries rest on each basis, e.g. ``{"published": 15, "proxy": 5, ...}``."""
        out = dict.fromkeys(ASSUMPTION_BASES, 0)
        for a in self.entries.values():
            out[a.basis] += 1
        return out

    def basis_text(self) -> str:
        """E.g. "data/assumptions.yaml: 21 assumptions (15 published, 5 proxy, 1 unsourced)"."""
        counts = ", ".join(f"{n} {b}" for b, n in self.bases().items() if n)
        return f"{_short(self.path)}: {len(self.entries)} assumptions ({counts})"

    def table(self) -> pd.DataFrame:
        """Every assumption as a row: :data:`TABLE_COLUMNS` (``url`` joined with spaces)."""
        rows = [{"id": a.id, "group": a.group, "key": a.key, "variant": a.variant or "",
                 **{f: getattr(a, f) for f in ENTRY_FIELDS if f not in ("url", *LIST_FIELDS)},
                 "url": " ".join(a.url), **{f: " ".join(getattr(a, f)) for f in LIST_FIELDS}}
                for a in self.entries.values()]
        return pd.DataFrame(rows, columns=TABLE_COLUMNS)

    def with_entry(self, entry: Assumption, *, path: str | None = None) -> Assumptions:
        """A copy with ``entry`` put in place of the one with its id (or added)."""
        return replace(self, path=path or self.path, entries={**self.entries, entry.id: entry})


def _short(path: str) -> str:
    """A path relative to the working folder when it lies inside it, for messages."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def assumptions_path(data_dir: Path | str | None = None) -> Path:
    """The assumptions file in use: ``settings.assumptions_file`` when set, else
    ``assumptions.yaml`` of the data folder, else the shipped file."""
    if settings.assumptions_file is not None:
        return Path(settings.assumptions_file)
    path = data_path("assumptions.yaml", data_dir)
    return path if path.exists() else SHIPPED


def load_assumptions(data_dir: Path | str | None = None) -> Assumptions:
    """Read and validate the time/cost assumptions in use for the data folder.

    Every problem (a missing low, central or high, unit, basis or source; values out of order
    or negative; a mode, status, country, event or variant outside the vocabularies) is
    reported in one :class:`~geo.DataValidationError` naming the file and the entry.
    """
    return read_assumptions(assumptions_path(data_dir))


def read_assumptions(path: Path | str) -> Assumptions:
    """Read and validate one assumptions file (a scenario file has the same format)."""
    return _load(file_stamp(path))


@lru_cache(maxsize=8)
def _load(stamp: tuple) -> Assumptions:
    path = stamp[0]
    problems = Problems(path, noun="assumption")
    doc = read_yaml(problems, path, kind="assumptions")
    if not isinstance(doc, dict):
        problems.add("-", "(file)", type(doc).__name__, "must be a mapping of groups")
        problems.raise_if_any()
    return parse_assumptions(doc, path, problems)


def parse_assumptions(doc: dict, path: str, problems: Problems | None = None) -> Assumptions:
    """Validate a parsed assumptions document; every problem is raised at once."""
    problems = problems or Problems(path, noun="assumption")
    if not is_blank(doc.get("as_of")):
        check_date(problems, "-", "as_of", str(doc.get("as_of")))
    cost_per = doc.get("cost_per", "TEU")
    if cost_per not in COST_UNITS:
        problems.add("-", "cost_per", cost_per, f"must be one of {list(COST_UNITS)}")
    entries: dict = {}
    for group in PER_MODE:
        for mode, by_key in _mapping(problems, doc, group).items():
            _mode_entries(problems, entries, group, mode, by_key)
    for group in PER_EVENT:
        for event, raw in _mapping(problems, doc, group).items():
            _event_entries(problems, entries, group, event, raw)
    problems.raise_if_any()
    return Assumptions(path=str(path), as_of=str(doc.get("as_of") or ""),
                       cargo_unit=str(doc.get("cargo_unit") or ""),
                       currency=str(doc.get("currency") or "USD"), cost_per=str(cost_per),
                       entries=entries)


def _mapping(problems: Problems, doc: dict, group: str) -> dict:
    value = doc.get(group)
    if not isinstance(value, dict):
        problems.add(group, "(group)", value, "is required and must be a mapping")
        return {}
    return value


def _mode_entries(problems, entries, group, mode, by_key) -> None:
    if mode not in MODES:
        problems.add(group, "mode", mode, f"must be one of {list(MODES)}")
        return
    if not isinstance(by_key, dict):
        problems.add(f"{group}.{mode}", "(entry)", by_key,
                     "must map default, statuses and countries to entries")
        return
    if "default" not in by_key:
        problems.add(f"{group}.{mode}", "default", None, "is required and missing")
    for key, raw in by_key.items():
        if key == "countries":
            if not isinstance(raw, dict):
                problems.add(f"{group}.{mode}", "countries", raw, "must map ISO3 codes to entries")
                continue
            for iso3, sub in raw.items():
                if not _ISO3.fullmatch(str(iso3)):
                    problems.add(f"{group}.{mode}.countries", "country", iso3,
                                 "must be an ISO3 code such as IRN, or a water body's code in "
                                 "the borders file such as CASPIAN")
                    continue
                _add(problems, entries, group, mode, str(iso3), sub)
        elif key == "default" or key in STATUSES:
            _add(problems, entries, group, mode, key, raw)
        else:
            problems.add(f"{group}.{mode}", "status", key,
                         f"must be 'default', 'countries' or one of {list(STATUSES)}")


def _event_entries(problems, entries, group, event, raw) -> None:
    if event not in EVENTS:
        problems.add(group, "event", event, f"must be one of {list(EVENTS)}")
        return
    variants = EVENT_VARIANTS[event]
    if isinstance(raw, dict) and variants and not ({"central", "value"} & set(raw)):
        for variant, sub in raw.items():
            if variant != "default" and variant not in variants:
                problems.add(f"{group}.{event}", "variant", variant,
                             f"must be 'default' or one of {list(variants)}")
                continue
            _add(problems, entries, group, event, variant, sub)
        return
    _add(problems, entries, group, event, None, raw)


def _add(problems, entries, group, key, variant, raw) -> None:
    entry = parse_entry(problems, group, key, variant, raw)
    if entry is not None:
        entries[entry.id] = entry


def parse_entry(problems: Problems, group: str, key: str, variant: str | None,
                raw: object) -> Assumption | None:
    """One entry checked field by field; None (after recording why) when it is unusable."""
    record = ".".join(p for p in (group, key, variant) if p)
    if not isinstance(raw, dict):
        problems.add(record, "(entry)", raw, "must be a mapping with low, central, high, unit, "
                     "basis and source")
        return None
    if "value" in raw and "central" not in raw:
        problems.add(record, "value", raw["value"],
                     "is the old single-value format: give low, central and high")
        return None
    ok = _values_ok(problems, record, group, raw)
    basis = raw.get("basis")
    if basis not in ASSUMPTION_BASES:
        problems.add(record, "basis", basis, f"must be one of {list(ASSUMPTION_BASES)}")
        ok = False
    required = ["unit", "source", "applies"]
    if basis not in _UNPUBLISHED:
        required += ["url", "date", "measured"]
    for name in required:
        if is_blank(raw.get(name)) or raw.get(name) == []:
            problems.add(record, name, raw.get(name), "is required and missing"
                         + (f" (basis {basis!r})" if name in ("url", "date", "measured") else ""))
            ok = False
    urls = _urls(problems, record, raw.get("url"))
    if urls is None:
        ok = False
    if not is_blank(raw.get("date")):
        before = len(problems.items)
        check_date(problems, record, "date", str(raw["date"]))
        ok = ok and len(problems.items) == before
    fitted_to = _names(problems, record, "fitted_to", raw.get("fitted_to"))
    includes = _names(problems, record, "includes", raw.get("includes"))
    if basis == "fitted" and group == "speed_kmh":
        problems.add(record, "basis", basis, "a speed cannot be fitted (an estimate is not "
                     "linear in it): fit a dwell, a fee or a haulage rate")
        ok = False
    if basis == "fitted" and not fitted_to:
        problems.add(record, "fitted_to", raw.get("fitted_to"), "is required with basis 'fitted': "
                     "the ids of the observations (observations.yaml) the value was fitted to")
        ok = False
    elif fitted_to and basis != "fitted":
        problems.add(record, "fitted_to", list(fitted_to), "is only for basis 'fitted'")
        ok = False
    own = f"{_COMPONENT_PREFIX[group]}.{key}"
    bad = [c for c in includes if c not in COMPONENTS or c == own]
    if bad:
        problems.add(record, "includes", bad[0], f"must be other components than its own ({own}), "
                     f"each one of {list(COMPONENTS)}")
        ok = False
    if not ok or fitted_to is None or includes is None:
        return None
    return Assumption(record, group, key, variant, float(raw["low"]), float(raw["central"]),
                      float(raw["high"]), str(raw["unit"]), str(basis), str(raw["source"]).strip(),
                      urls, str(raw.get("date") or ""), _text(raw.get("measured")),
                      _text(raw.get("applies")), _text(raw.get("notes")), fitted_to, includes)


_COMPONENT_PREFIX = {"speed_kmh": "travel", "cost_usd_per_km": "haulage", "dwell_h": "dwell",
                     "cost_usd": "fee"}


def _names(problems: Problems, record: str, name: str, value: object) -> tuple[str, ...] | None:
    """A list field of short names (``fitted_to``, ``includes``); None after recording why not."""
    if is_blank(value) or value == []:
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) and v.strip() for v in items):
        problems.add(record, name, value, "must be a name or a list of names")
        return None
    return tuple(v.strip() for v in items)


def _text(value) -> str:
    return "" if is_blank(value) else " ".join(str(value).split())


def _values_ok(problems, record, group, raw) -> bool:
    ok = True
    values = {}
    for name in ("low", "central", "high"):
        value = raw.get(name)
        if is_blank(value):
            problems.add(record, name, value, "is required and missing")
            ok = False
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems.add(record, name, value, "must be a number")
            ok = False
        elif value < 0 or (value == 0 and group == "speed_kmh"):
            problems.add(record, name, value,
                         "must be positive" if group == "speed_kmh" else "must not be negative")
            ok = False
        else:
            values[name] = value
    if ok and not values["low"] <= values["central"] <= values["high"]:
        problems.add(record, "low/central/high", (values["low"], values["central"], values["high"]),
                     "must be in order: low <= central <= high")
        ok = False
    return ok


def _urls(problems, record, value) -> tuple[str, ...] | None:
    if is_blank(value) or value == []:
        return ()
    items = value if isinstance(value, list) else [value]
    bad = [u for u in items if not (isinstance(u, str) and u.startswith(("http://", "https://")))]
    if bad:
        problems.add(record, "url", bad[0], "must be a web address (http:// or https://) "
                     "or a list of them")
        return None
    return tuple(items)
