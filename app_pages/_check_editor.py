"""Choose or edit the check of a drafted claim: a predicate and its arguments from lists.

The predicates and their arguments come from the registry (``geo.claims.registry``): a new
predicate appears here with no change to this file. Each argument is picked from what the
data holds (routes, places, countries, segments) or from its vocabulary (extents, directions,
tenses...); a number is typed. :func:`editor` returns the check to use, or None while nothing
is applied; the Claims page then shows the verdict it would get before anything is saved.
"""

from __future__ import annotations

import streamlit as st

from geo.claims import registry
from geo.vocab import COMPARISONS, DIRECTIONS, EXTENTS, MODES, TENSES

NONE = "(no check)"
CHOICES = {"extent": sorted(EXTENTS), "comparison": sorted(COMPARISONS),
           "direction": sorted(DIRECTIONS), "tense": sorted(TENSES), "mode": list(MODES),
           "bool": [True, False]}


def _ids(core: dict, kind: str) -> list[str]:
    routes, places, borders = core["routes"], core["places"], core["borders"]
    countries = sorted(set(borders.index) | {"AZE-NX"})
    return {"route": sorted(routes.index), "place": sorted(places.index),
            "territory": countries, "place_or_point": sorted(places.index),
            "place_or_territory": sorted(places.index) + countries}.get(kind, [])


def _label(core: dict, value: object) -> str:
    for frame in ("routes", "places", "borders"):
        table = core[frame]
        if isinstance(value, str) and value in table.index and "name" in table.columns:
            return f"{table.at[value, 'name']} ({value})"
    return str(value)


def _argument(core: dict, key: str, name: str, kind: str, required: bool, current: object):
    """One argument's widget; returns its value (None: left out)."""
    label = f"{name}{'' if required else ' (optional)'}"
    if kind in ("km", "share"):
        text = st.text_input(label, value="" if current is None else str(current),
                             key=f"{key}_{name}",
                             help="km: a positive number" if kind == "km" else "0 to 1")
        try:
            return float(text) if text.strip() else None
        except ValueError:
            st.caption(f"{name}: not a number; left out")
            return None
    if kind == "text":
        return st.text_input(label, value=str(current or ""), key=f"{key}_{name}") or None
    if kind == "segment_list":
        options = sorted(core["segments"].index)
        chosen = [s for s in (current or []) if s in options]
        return st.multiselect(label, options, default=chosen, key=f"{key}_{name}") or None
    options = CHOICES.get(kind) or _ids(core, kind)
    options = ([None] if not required else []) + list(options)
    index = options.index(current) if current in options else 0
    return st.selectbox(label, options, index=index, key=f"{key}_{name}",
                        format_func=lambda v: "(none)" if v is None else _label(core, v))


def editor(claim: dict, core: dict, key: str) -> dict | None:
    """Widgets to choose ``claim``'s predicate and arguments; the check when applied."""
    check = claim.get("check") or {}
    names = [NONE, *registry.names()]
    current = check.get("predicate") if check.get("predicate") in names else NONE
    pred = st.selectbox("Check (predicate)", names, index=names.index(current),
                        key=f"{key}_pred",
                        help="What the geodata can test about this claim; '(no check)' when it "
                             "makes no geographic assertion.")
    if pred == NONE:
        reason = st.text_input("Why it is not checked", key=f"{key}_reason",
                               value=str(check.get("reason") or "not checkable from geodata"))
        built = {"predicate": None, "args": {}, "reason": reason or "not checked"}
    else:
        spec = registry.get(pred)
        args_now = check.get("args") if check.get("predicate") == pred else {}
        cols = st.columns(2)
        args = {}
        for i, (name, (kind, required)) in enumerate(spec.args.items()):
            with cols[i % 2]:
                value = _argument(core, key, name, kind, required, (args_now or {}).get(name))
            if value is not None:
                args[name] = value
        tests = st.radio("What it tests", ["assertion", "context"], horizontal=True,
                         index=0 if check.get("tests", "assertion") == "assertion" else 1,
                         key=f"{key}_tests",
                         help="assertion: the check tests what the claim asserts (it can give "
                              "a verdict); context: it only gives context.")
        why = st.text_input("Why this check", key=f"{key}_why",
                            value=str(check.get("why") or ""))
        built = {"predicate": pred, "args": args, "reason": None, "tests": tests,
                 "why": why or f"the claim is checked with {pred} (chosen in review)"}
    if st.button("Use this check", key=f"{key}_apply"):
        return built
    return None
