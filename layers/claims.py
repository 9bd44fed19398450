"""Claims as map markers: the letter gives the kind, the colour the verdict; popups quote the claim.

The popup shows the quote, who said it, the verdict, the evidence and the source, every piece
escaped (article text is never trusted as HTML). :func:`open_claim_script` centres the map on a
claim and opens its popup, so a list beside the map can drive it.
"""

from __future__ import annotations

import geopandas as gpd

from geo import style
from geo.escape import bidi, escape_html

from ._features import FeatureLayer, Script, StyleTable, display_features, js_literal, ring_offsets
from ._popup import Markup, blank, popup, text

CLAIM_ZOOM = 7


def _verdict_badge(verdict: str) -> Markup:
    color = style.VERDICT_COLORS.get(verdict, "#ffffff")
    label = style.VERDICT_LABELS.get(verdict, verdict or "not checked")
    return Markup(f'<span class="ce-verdict" style="background:{escape_html(color)}">'
                  f"{escape_html(label)}</span>")


def _who(row: dict) -> str:
    who, role = row.get("who"), row.get("role")
    if blank(who):
        return text(role)
    return f"{text(who)} ({text(role)})" if not blank(role) else text(who)


def _source(row: dict) -> Markup:
    parts = [bidi(row.get(k)) for k in ("publication", "article_title") if not blank(row.get(k))]
    if not blank(row.get("article_id")):
        parts.append(f"article <code>{escape_html(row.get('article_id'))}</code>")
    if not blank(row.get("date")):
        parts.append(escape_html(row.get("date")))
    return Markup(", ".join(parts))


def claim_popup_html(claim_id: object, row: dict) -> str:
    """Popup HTML of one claim (a row of ``geo.claims_gdf()`` as a dict), all text escaped."""
    verdict = row.get("verdict") or ""
    kind = row.get("kind") or ""
    quote = Markup(f'<blockquote dir="auto">{bidi(row.get("quote"))}</blockquote>')
    rows = [
        ("Said by", Markup(_who(row))),
        ("Kind", kind),
        ("Verdict", _verdict_badge(verdict)),
        ("Evidence", row.get("evidence")),
        ("Summary", row.get("summary")),
        ("Where", row.get("location")),
        ("Source", _source(row)),
    ]
    return popup(f"Claim {claim_id}", rows, extra=quote, css_class="ce-popup ce-claim-popup",
                 data={"claim": claim_id})


def claims_layer(claims: gpd.GeoDataFrame, *, name: str = "Claims") -> FeatureLayer:
    """Claims with a location as round badges: kind letter on the verdict colour.

    ``claims`` is indexed by claim id or has a ``claim_id`` column; rows with an empty
    geometry are left out (they stay in the claims table). Claims at the same point are spread
    on a small ring so each can be clicked.
    """
    table = StyleTable()
    s = table.index({})
    frame = claims[~(claims.geometry.isna() | claims.geometry.is_empty)]
    ids = list(frame["claim_id"]) if "claim_id" in frame else [str(i) for i in frame.index]
    offsets = ring_offsets([(round(g.x, 3), round(g.y, 3)) for g in frame.geometry])
    pos = {idx: n for n, idx in enumerate(frame.index)}

    def props(idx, row):
        n = pos[idx]
        cid = ids[n]
        verdict = row.get("verdict") or ""
        color = style.VERDICT_COLORS.get(verdict, "#ffffff")
        letter = style.CLAIM_KIND_SYMBOLS.get(row.get("kind"), "?")
        verdict_label = style.VERDICT_LABELS.get(verdict, verdict)
        dx, dy = offsets[n]
        return {
            "i": str(cid), "s": s, "dx": dx, "dy": dy,
            "k": (f'<div data-claim="{escape_html(cid)}" style="background:{escape_html(color)}">'
                  f"{escape_html(letter)}</div>"),
            "t": f"{escape_html(cid)} · {escape_html(row.get('kind'))} · {escape_html(verdict_label)}",
            "p": claim_popup_html(cid, row),
        }

    feats = display_features(frame, properties=props)
    return FeatureLayer(feats, table.styles, name=name, point="badge", badge_class="ce-claim")


def open_claim_script(claim_id: str, *, zoom: int = CLAIM_ZOOM, token: str | None = None) -> Script:
    """Script that centres the map on claim ``claim_id`` and opens its popup.

    Add it to the map (or to a group on the map) after the claims layer. ``token`` identifies
    one choice of the claim: run again with the same token (the app redrawing other layers),
    it reopens the popup without moving the map.
    """
    key = js_literal(token or claim_id)
    cid = js_literal(str(claim_id))
    code = (
        "setTimeout(function(){ var m = {map}; var done = false;"
        " m.eachLayer(function(l){ if (done || !l.feature || !l.getLatLng) { return; }"
        " var icon = l.options && l.options.icon && l.options.icon.options;"
        " if (!icon || icon.className !== 'ce-claim' || l.feature.properties.i !== " + cid + ") { return; }"
        " done = true; var again = window.__ceOpenClaim === " + key + "; window.__ceOpenClaim = " + key + ";"
        " if (!again) { m.setView(l.getLatLng(), Math.max(m.getZoom(), " + str(int(zoom)) + ")); }"
        " var el = l.getElement && l.getElement(); if (el) { el.classList.add('ce-open'); }"
        " l.openPopup(); }); }, 0);"
    )
    return Script(code)
