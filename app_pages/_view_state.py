"""One view state for every page, kept in the session and in the address bar.

The view is what a user chose: routes, map extent, layers, basemap, filters, the chosen claim,
the date and scenario, the Compare form and the two states of Through time. It lives in
``st.session_state["view"]`` so it survives switching pages (Streamlit forgets the widgets of
a page once another page runs), and every page writes it to the URL, so a link restores all
of it in a new session.

Widgets never hold the view themselves: :func:`seed` gives a widget key its value from the
view when the widget has none, and whatever it holds in the first run of a page just entered
(``app.py`` tells which page runs: :func:`note_page`, :func:`entered`); the page copies the
widget's value back with :func:`update`, best in the widget's ``on_change`` callback, which
runs before anything else (a run stopped half-way, by a click on a page link for instance,
then loses nothing). Controls shared by several pages (the date) :func:`push` the view into
their widgets on every run instead, so each page shows the same choice.

An address is untrusted input: :func:`parse` never fails. A value that is too long, holds
control characters or does not have its field's form falls back to the field's default;
list items are de-duplicated (first kept, in order), and a list of more distinct items than
its field allows (:data:`MAX_ROUTES` routes ...) falls back too. Numbers are ASCII digits
only: ``str.isdigit`` accepts "²", which ``int`` then refuses, and ``\\d`` accepts "٣".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import streamlit as st

LIST, TEXT, INT = "list", "text", "int"
#: Longest value taken from an address, and most items of a list (more: the default).
MAX_CHARS, MAX_ITEMS = 600, 100
#: Most routes, and most countries to avoid, one address may choose: more than the data has
#: (about 30 routes, a dozen countries); each chosen route is drawn, so a link naming
#: thousands would make the map page slow for nothing.
MAX_ROUTES = 50
MAX_AVOID = 50
#: An id of the data (route, country, status, claim...): letters, digits, ``_ . : -``.
ID = r"[\w.:-]{1,120}"
#: A date of the statuses: ``today`` or ``YYYY-MM``.
MONTH = r"today|[0-9]{4}-(0[1-9]|1[0-2])"
NUMBER = r"-?[0-9]{1,3}(\.[0-9]{1,8})?"
#: A whole number: ASCII digits only, at most six of them.
WHOLE = r"[0-9]{1,6}"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Field:
    """One part of the view: its URL parameter's kind, value when absent, and the form each
    value (each item, for a list) must have (a regular expression, matched in full)."""

    kind: str
    default: object = None
    form: str | None = ID
    max_items: int = MAX_ITEMS


#: Every part of the view, by URL parameter name. ``None`` defaults mean "all" (lists) or
#: "none chosen" (text); they are left out of the URL.
FIELDS: dict[str, Field] = {
    # map and export
    "routes": Field(LIST, (), max_items=MAX_ROUTES),
    "extent": Field(TEXT, form=",".join([NUMBER] * 4)),
    "layers": Field(LIST),
    "basemap": Field(TEXT, "vector"),
    "status": Field(LIST),
    "mode": Field(LIST),
    "kinds": Field(LIST),
    "verdicts": Field(LIST),
    "article": Field(TEXT),
    "claim": Field(TEXT),
    "country": Field(TEXT),
    "q": Field(TEXT, form=None),
    # compare
    "from": Field(TEXT),
    "to": Field(TEXT),
    "avoid": Field(LIST, (), max_items=MAX_AVOID),
    "k": Field(INT, 3),
    "rank": Field(TEXT, "length"),
    "cstatus": Field(LIST),
    "cmode": Field(LIST),
    "net": Field(TEXT),
    # every page: the date of the statuses and the lifecycle scenario (_when.py)
    "asof": Field(TEXT, form=MONTH),
    "scenario": Field(TEXT),
    # Through time: what is compared (two places or a route) and its two states
    "tt": Field(TEXT),
    "troute": Field(TEXT),
    "ta": Field(TEXT, form=MONTH),
    "tb": Field(TEXT, form=MONTH),
    "tbs": Field(TEXT),
    # Who says what: the topic and its filters (outlets, outlet countries, languages, years)
    "topic": Field(TEXT),
    "wout": Field(LIST, form=None),
    "wctry": Field(LIST),
    "wlang": Field(LIST),
    "wfrom": Field(TEXT, form=r"[0-9]{4}"),
    "wto": Field(TEXT, form=r"[0-9]{4}"),
}
KEY = "view"
PAGE, ENTERED, SEEDED = "view_page", "view_page_entered", "view_page_seeded"


def _clean(raw: object, form: str | None) -> str | None:
    text = str(raw).strip()
    if not text or len(text) > MAX_CHARS or _CONTROL.search(text):
        return None
    if form is not None and not re.fullmatch(form, text):
        return None
    return text


def parse(params: dict[str, object]) -> dict[str, object]:
    """The view described by URL parameters; values that do not fit fall back to defaults.

    ``params`` maps a name to its value (``st.query_params.to_dict()``) or to every value it
    has in the address (a list: the last one counts, as in Streamlit).
    """
    view: dict[str, object] = {}
    for name, field in FIELDS.items():
        raw = params.get(name)
        if isinstance(raw, list | tuple):
            raw = raw[-1] if raw else None
        value = field.default
        if raw is not None and len(str(raw)) <= MAX_CHARS * 4:
            if field.kind == LIST:
                items = [_clean(v, field.form) for v in str(raw).split(",")]
                kept = tuple(dict.fromkeys(v for v in items if v))
                value = kept if len(kept) <= field.max_items else field.default
            elif field.kind == INT:
                text = str(raw).strip()
                value = int(text) if re.fullmatch(WHOLE, text) else field.default
            else:
                value = _clean(raw, field.form) or field.default
        view[name] = value
    return view


def to_params(view: dict[str, object]) -> dict[str, str]:
    """URL parameters of a view: only the parts that differ from their defaults."""
    out = {}
    for name, field in FIELDS.items():
        value = view.get(name, field.default)
        if value is None or value == field.default:
            continue
        out[name] = ",".join(value) if field.kind == LIST else str(value)
    return out


def parse_extent(text: object):
    """``"w,s,e,n"`` to ``((s, w), (n, e))``, or None if it is not four numbers in range."""
    try:
        w, s, e, n = (float(v) for v in str(text or "").split(","))
    except ValueError:
        return None
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        return None
    return ((s, w), (n, e))


#: How much of an extent's width and height :func:`fit_extent` leaves out on each side.
FIT_MARGIN = 0.05


def fit_extent(text: object):
    """The box a map fits to show extent ``text`` again: ``((s, w), (n, e))`` or None.

    An extent is what a map showed; fitting a map to exactly that box (rounded in the
    address) may need a fraction of a zoom level more, and the map then opens one zoom step
    wider each time the link is reopened. Fitting the middle of the box (a margin of
    :data:`FIT_MARGIN` left out on each side, far less than a zoom step) opens it at the same
    zoom and centre in a window of the same size.
    """
    box = parse_extent(text)
    if box is None:
        return None
    (s, w), (n, e) = box
    # north and south in Web Mercator, as the map centres and fits a box
    y_s, y_n = (math.asinh(math.tan(math.radians(max(-85.0, min(85.0, v))))) for v in (s, n))
    dx, dy = (e - w) * FIT_MARGIN, (y_n - y_s) * FIT_MARGIN
    s, n = (math.degrees(math.atan(math.sinh(v))) for v in (y_s + dy, y_n - dy))
    return ((s, w + dx), (n, e - dx))


def current() -> dict[str, object]:
    """The session's view: from the URL on the session's first run, then kept in the session."""
    state = st.session_state
    if KEY not in state:
        state[KEY] = parse(st.query_params.to_dict())
    return state[KEY]


def note_page(page: str) -> None:
    """Note the page this run draws (``app.py``, before running it), for :func:`entered`
    and :func:`seed`. A fragment's own run does not pass here."""
    state = st.session_state
    state[ENTERED] = state.get(PAGE) != page
    state[PAGE] = page
    state[SEEDED] = set()


def entered() -> bool:
    """Whether this run is the first of its page since another page ran (or the session's
    first): a page then shows the view as it is, not what its widgets held before."""
    return bool(st.session_state.get(ENTERED, True))


def seed(widget_key: str, value: object) -> None:
    """Give ``widget_key`` its value from the view unless the widget already has one, and in
    the first run of a page just entered whatever it holds (Streamlit may keep a widget's
    value of an earlier visit; the view may have changed on another page since)."""
    state = st.session_state
    fresh = entered() and widget_key not in state.setdefault(SEEDED, set())
    if widget_key not in state or fresh:
        state[SEEDED].add(widget_key)
        state[widget_key] = list(value) if isinstance(value, tuple) else value


def push(widget_key: str, value: object) -> None:
    """Give ``widget_key`` its value from the view, whatever it holds (call it before the
    widget is drawn; the widget's ``on_change`` callback must have updated the view)."""
    st.session_state[widget_key] = list(value) if isinstance(value, tuple) else value


def update(**parts: object) -> None:
    """Change parts of the view (lists are stored as tuples)."""
    view = current()
    for name, value in parts.items():
        if name not in FIELDS:
            msg = f"view: unknown part {name!r}; known: {', '.join(FIELDS)}"
            raise KeyError(msg)
        view[name] = tuple(value) if isinstance(value, list | tuple | set) else value


def write_url() -> None:
    """Put the whole view in the address bar (only when it changed: each write is a message)."""
    wanted = to_params(current())
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def all_or_chosen(chosen: object, every: list[str]) -> list[str]:
    """A list filter's value: everything when the view has none, else the known chosen ones."""
    if chosen is None:
        return list(every)
    return [v for v in every if v in set(chosen)]


def as_filter(chosen: list[str], every: list[str]) -> tuple[str, ...] | None:
    """What the view stores for a list filter: None when everything is chosen."""
    return None if set(chosen) >= set(every) else tuple(v for v in every if v in set(chosen))
