"""One view state for every page, kept in the session and in the address bar.

The view is what a user chose: routes, map extent, layers, basemap, filters, the chosen claim,
and the Compare parameters. It lives in ``st.session_state["view"]`` so it survives switching
pages (Streamlit forgets the widgets of a page once another page runs), and every page writes
it to the URL, so a link restores all of it in a new session.

Widgets never hold the view themselves: :func:`seed` gives a widget key its value from the
view when the widget has none (first run, or after another page ran), and the page copies the
widget's value back with :func:`update` after drawing it.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

LIST, TEXT, INT = "list", "text", "int"


@dataclass(frozen=True)
class Field:
    """One part of the view: its URL parameter, kind and value when absent from the URL."""

    kind: str
    default: object = None


#: Every part of the view, by URL parameter name. ``None`` defaults mean "all" (lists) or
#: "none chosen" (text); they are left out of the URL.
FIELDS: dict[str, Field] = {
    # map and export
    "routes": Field(LIST, ()),
    "extent": Field(TEXT),
    "layers": Field(LIST),
    "basemap": Field(TEXT, "vector"),
    "status": Field(LIST),
    "mode": Field(LIST),
    "kinds": Field(LIST),
    "verdicts": Field(LIST),
    "article": Field(TEXT),
    "claim": Field(TEXT),
    "country": Field(TEXT),
    "q": Field(TEXT),
    # compare
    "from": Field(TEXT),
    "to": Field(TEXT),
    "avoid": Field(LIST, ()),
    "k": Field(INT, 3),
    "rank": Field(TEXT, "length"),
    "cstatus": Field(LIST),
    "cmode": Field(LIST),
    # every page: the date of the statuses (YYYY-MM) and the lifecycle scenario (_when.py)
    "asof": Field(TEXT),
    "scenario": Field(TEXT),
}
KEY = "view"


def parse(params: dict[str, str]) -> dict[str, object]:
    """The view described by URL parameters (unknown or malformed values fall back to defaults)."""
    view: dict[str, object] = {}
    for name, field in FIELDS.items():
        raw = params.get(name)
        value = field.default
        if raw is not None:
            if field.kind == LIST:
                value = tuple(v for v in str(raw).split(",") if v)
            elif field.kind == INT:
                value = int(raw) if str(raw).isdigit() else field.default
            else:
                value = str(raw) or field.default
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


def current() -> dict[str, object]:
    """The session's view: from the URL on the session's first run, then kept in the session."""
    state = st.session_state
    if KEY not in state:
        state[KEY] = parse(st.query_params.to_dict())
    return state[KEY]


def seed(widget_key: str, value: object) -> None:
    """Give ``widget_key`` its value from the view unless the widget already has one."""
    if widget_key not in st.session_state:
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
