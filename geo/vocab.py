"""Every vocabulary of the project, defined once.

Loaders validate against these sets, metrics and routing branch on them, the CLI offers them as
choices and the map styles key on them. Order matters where a tuple is used: it is the order in
which tables, legends and menus list the values.
"""

from __future__ import annotations

# Places and the network -------------------------------------------------------------------

PLACE_KINDS = frozenset({"city", "station", "junction", "port", "border_crossing"})
MODES = ("rail", "road", "sea", "ferry")
STATUSES = ("operational", "under_construction", "planned", "proposed", "disrupted", "closed")
GAUGES_MM = frozenset({1435, 1520})
LENGTH_BASES = {
    "chainage": "published chainage",
    "traced": "traced on OpenStreetMap track (© OpenStreetMap contributors, ODbL)",
    "osm": "measured on the OpenStreetMap line",
    "access": "on straight lines from the places to the OpenStreetMap network",
    "measured": "measured on the drawn line",
}
"""Where a segment's best-estimate length comes from, in order of preference, and its words:
a published length, a traced figure (``data/traced.yaml``), the segment's own line where it
follows OpenStreetMap (snapped, or a path on an imported OSM network) or the straight access
lines of such a path from its places to the network, else the drawn line."""
# A track's gauge is a set of these: one value, or two on dual-gauge track. Written as in
# OpenStreetMap's ``gauge`` tag: "1520", or "1435;1520" (ascending); "" when unknown.
GAUGE_SEPARATOR = ";"
# Language codes of the ``name_<lang>`` columns of places.csv, in display order.
NAME_LANGS = ("az", "hy", "fa", "ru", "tr", "ka")

# Territory units and water --------------------------------------------------------------------

NAKHCHIVAN = "AZE-NX"
SEA = "SEA"
CASPIAN = "CASPIAN"
WATER = (SEA, CASPIAN)
WATER_MODES = frozenset({"sea", "ferry"})
LAND_MODES = frozenset({"rail", "road"})

# Lifecycle (dated status changes of a segment) -------------------------------------------------

LIFECYCLE_EVENTS = ("announced", "agreement", "construction_start", "progress", "completed",
                    "opening", "disruption", "suspension", "closure", "reopening")
# Reports that change no status: ``progress`` (works reported under way: a share built, a
# structure begun; or a line reported in service, as a traveller or a photo report saw it) and
# ``completed`` (works finished: a structure built but not yet open, or works on a line in
# service done). Each carries the status in force before it; an opening or reopening is what
# puts a line in service.
WORKS_REPORTS = frozenset({"progress", "completed"})
# Events that end or halt works: after one of them a construction_start is a new start.
WORKS_ENDS = frozenset({"completed", "opening", "reopening", "disruption", "suspension", "closure"})
# "happened": a recorded event; "expected": a target date announced in advance.
EVENT_KINDS = ("happened", "expected")
# The status of a segment on a date before its first recorded project event (it was not yet
# even announced). Used only for dated views; never written in the data.
NOT_YET = "not_yet_announced"
DATED_STATUSES = (*STATUSES, NOT_YET)

# Status groups --------------------------------------------------------------------------------

UNBUILT = frozenset({"under_construction", "planned", "proposed", NOT_YET})
OUT_OF_SERVICE = frozenset({"disrupted", "closed"})

# Time and cost -------------------------------------------------------------------------------

# Events that cost time (and money) along a path, and the variants an assumption may be split
# by: a land border crossing by the mode that crosses it; a transshipment at a port (a mode
# change to or from water, and the loading at the port a path sails from or the discharge at
# the port it ends in) or at a terminal (between rail and road); a port call (a ship's time in
# port at the end of a sea or ferry stretch); waiting for a train to be formed (where a
# container joins a train: after a transshipment to rail or a break of gauge); waiting for a
# ferry sailing.
EVENTS = ("border_crossing", "gauge_break", "transshipment", "port_call", "train_formation",
          "ferry_wait")
EVENT_VARIANTS = {"border_crossing": ("rail", "road"), "transshipment": ("port", "terminal"),
                  "gauge_break": (), "port_call": (), "train_formation": (), "ferry_wait": ()}
# Events with a fee of their own; a port call and waiting for a train or a sailing are paid in
# the freight.
FEE_EVENTS = ("border_crossing", "gauge_break", "transshipment")
# What an assumption rests on: a published figure that measures it, a published figure of a
# comparable operation or place (said which), a value fitted to published door-to-door figures
# (named in ``fitted_to``), no published figure, or a user's scenario value.
ASSUMPTION_BASES = ("published", "proxy", "fitted", "unsourced", "scenario")
# The components a time or cost estimate adds up, one per kind of assumption: haulage and travel
# per mode, the fee and the dwell of each event. An assumption counts its own component; a
# figure measured over more than that (an all-in price) names the others in ``includes``, and
# an estimate that also counts one of them counts it twice (geo.timecost.double_counted).
COMPONENTS = (*(f"haulage.{m}" for m in MODES), *(f"travel.{m}" for m in MODES),
              *(f"fee.{e}" for e in EVENTS), *(f"dwell.{e}" for e in EVENTS))
# Units a cost is given per.
COST_UNITS = ("TEU", "FEU", "container")
# How a published door-to-door time or cost was obtained.
OBSERVATION_KINDS = ("measured", "estimated", "claimed")

# Claims -------------------------------------------------------------------------------------

ARTICLE_KINDS = frozenset({"news", "opinion", "analysis"})
CLAIM_KINDS = frozenset({"event", "territorial", "infrastructure", "metric", "allegation", "opinion"})
ROLES = frozenset({"author", "quoted", "reported"})
DATE_PRECISIONS = frozenset({"day", "month", "year", "unknown"})
EXTENTS = frozenset({"all", "most", "some", "none"})
COMPARISONS = frozenset({"shorter", "longer"})
# A connection claim's tense: "present" (it connects: an operational link is asserted) or
# "future" (it will connect: a link planned or under construction fits the claim).
TENSES = frozenset({"present", "future"})
# Compass points clockwise from north, 45 degrees apart (index * 45 = bearing).
COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")
DIRECTIONS = frozenset(COMPASS)
VERDICTS = ("consistent", "partly_consistent", "inconsistent", "context_only", "not_checkable")

# Maps ---------------------------------------------------------------------------------------

# Layers a map (app, HTML export or static snapshot) can show, in drawing order.
MAP_LAYERS = ("routes", "corridors", "gauge_breaks", "places", "crossings", "claims")


def parse_gauge(value: object) -> frozenset[int]:
    """The gauges (mm) of a track from ``1520``, ``"1520"`` or ``"1520;1435"``; empty when unknown.

    None, NaN and blank text are unknown. Raises ValueError for text that is not a list of
    whole numbers of millimetres; whether each is a known gauge is for the caller to check
    against :data:`GAUGES_MM`.
    """
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return frozenset()
    if isinstance(value, bool):
        raise ValueError(f"not a gauge: {value!r}")
    if isinstance(value, int | float):
        if float(value) != int(value):
            raise ValueError(f"not a whole number of mm: {value!r}")
        return frozenset({int(value)})
    text = str(value).strip()
    if not text:
        return frozenset()
    parts = [p.strip() for p in text.split(GAUGE_SEPARATOR)]
    # ASCII digits only: str.isdigit() also takes "²", which int() then refuses.
    if not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f"not a gauge list like '1520' or '1520;1435': {value!r}")
    return frozenset(int(p) for p in parts)


def gauge_text(gauges: frozenset[int] | set[int]) -> str:
    """The OpenStreetMap-style text of a gauge set: ``"1435;1520"``, ``"1520"`` or ``""``."""
    return GAUGE_SEPARATOR.join(str(g) for g in sorted(gauges))

# What a claim is about, for setting the claims of many outlets side by side ("Who says what",
# ``corridors claims --topic``): id -> label. A claim carries one or more (``topics``).
TOPICS = {
    "rasht-astara-length": "Rasht–Astara length",
    "rasht-astara-status": "Rasht–Astara status and dates",
    "rasht-astara-finance": "Rasht–Astara financing and contractors",
    "syunik-section-control": "Syunik/Meghri section: control and operation",
    "syunik-link-status": "Syunik/Meghri link: status and dates",
    "horadiz-aghband": "Horadiz–Aghband railway",
    "aras-route": "Aras route through Iran",
    "kars-nakhchivan": "Kars–Iğdır–Nakhchivan railway",
    "instc-transit-time": "INSTC transit time",
    "instc-routes": "INSTC routes and volumes",
    "borders": "Borders and neighbours",
    "middle-corridor": "Middle Corridor and Baku–Tbilisi–Kars",
    "relations": "Relations between the states on the routes",
}

# What an article may state about a project on a segment (a claim's ``project`` records;
# ``geo.project_records``), Reconnecting Asia style: who builds or pays, what it costs, when.
PROJECT_FIELDS = {
    "contractor": "contractor",
    "lender": "lender",
    "financing": "financing",
    "loan": "loan",
    "cost": "cost",
    "construction_start": "construction start",
    "opening": "opening",
}

