"""Claims as map markers: the letter gives the kind, the colour the verdict; popups quote the claim.

The popup shows the quote, who said it, the verdict, the evidence, the article it comes from
and, on lines of their own, the article's date and the date of the event it reports, every piece
escaped (article text is never trusted as HTML). Claims located only to a whole country are not
drawn as points: :func:`country_claims_layer` shows one badge per country with their number.
Overlapping markers are clustered. :func:`open_claim_script` opens a claim's popup without
changing the zoom, so a list beside the map can drive it.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo import style
from geo.escape import bidi, escape_html

from ._features import FeatureLayer, Script, StyleTable, display_features, js_literal, ring_offsets
from ._popup import Markup, blank, popup, text
from .legend import category

# Where :func:`claims_layer` registers its markers by claim id (a ``window`` property).
REGISTRY = "__ceClaims"
# ``located_by`` value of claims the checker could place only in a whole country.
COUNTRY_ONLY = "country"


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


def _article(row: dict) -> Markup:
    """The article the claim comes from: publication, title and id (its date has a line)."""
    parts = [bidi(row.get(k)) for k in ("publication", "article_title") if not blank(row.get(k))]
    if not blank(row.get("article_id")):
        parts.append(f"article <code>{escape_html(row.get('article_id'))}</code>")
    return Markup(", ".join(parts))


def _dates(row: dict) -> list[tuple[str, object]]:
    """Two labelled lines: when the article was published and when the reported event was.

    A claim's ``date`` is the date of what it reports; the article's own date is
    ``article_date`` (blank: the article gives none).
    """
    published = row.get("article_date")
    event = row.get("date")
    return [("Article date", "not given in the article" if blank(published) else published),
            ("Event date", None if blank(event) else event)]


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
        ("Article", _article(row)),
        *_dates(row),
    ]
    return popup(f"Claim {claim_id}", rows, extra=quote, css_class="ce-popup ce-claim-popup",
                 data={"claim": claim_id})


def located_on_map(claims: gpd.GeoDataFrame) -> pd.Series:
    """Whether each claim has a place of its own on the map (a boolean Series named ``on_map``).

    Claims that the checker could locate only to a whole country (``located_by == "country"``)
    have a point somewhere inside it, which on a map reads as an event at that spot; they are
    listed per country instead (:func:`country_claims`). So are claims without geometry.
    """
    geom = claims.geometry
    drawn = ~(geom.isna() | geom.is_empty)
    if "located_by" in claims:
        drawn &= claims["located_by"].astype(str) != COUNTRY_ONLY
    return pd.Series(drawn.to_numpy(), index=claims.index, name="on_map")


def country_claims(claims: gpd.GeoDataFrame, borders: gpd.GeoDataFrame) -> pd.Series:
    """The country (ISO3 of ``borders``) of each claim located only to a country.

    A Series named ``country`` aligned to ``claims``; None for claims with a place of their
    own. The country is the outline of ``borders`` (indexed by ISO3) holding the claim's point.
    """
    only = ~located_on_map(claims) & ~(claims.geometry.isna() | claims.geometry.is_empty)
    found: dict = {}
    if only.any() and borders is not None and len(borders) > 0:
        points = claims.loc[only, ["geometry"]].to_crs(borders.crs)
        outlines = gpd.GeoDataFrame({"country": [str(i) for i in borders.index]},
                                    geometry=borders.geometry.values, crs=borders.crs)
        joined = gpd.sjoin(points, outlines, how="inner", predicate="within")
        found = joined["country"].groupby(level=0).first().to_dict()
    return pd.Series([found.get(i) for i in claims.index], index=claims.index, name="country",
                     dtype=object)


def claims_layer(claims: gpd.GeoDataFrame, *, name: str = "Claims") -> FeatureLayer:
    """Claims with a place of their own as round badges: kind letter on the verdict colour.

    ``claims`` is indexed by claim id or has a ``claim_id`` column. Claims located only to a
    country and rows without geometry are left out (see :func:`located_on_map`). Markers that
    overlap are clustered (see :class:`FeatureLayer` ``cluster``); each marker is registered
    under its claim id in ``window.__ceClaims`` for :func:`open_claim_script`.
    """
    table = StyleTable()
    s = table.index({})
    frame = claims[located_on_map(claims)]
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
            "t": (f"{escape_html(cid)} · {escape_html(row.get('kind'))} · "
                  f"{escape_html(verdict_label)}"),
            "p": claim_popup_html(cid, row),
            "c": [category("verdict", verdict), category("kind", row.get("kind"))],
        }

    feats = display_features(frame, properties=props)
    return FeatureLayer(feats, table.styles, name=name, point="badge", badge_class="ce-claim",
                        cluster=True, registry=REGISTRY)


def country_tooltip(iso3: str, name: str, count: int) -> str:
    """Tooltip of a country badge; the app reads the ISO3 back from a click on it."""
    return f"{iso3} · {count} claim(s) located only to {name} as a whole"


def country_claims_layer(claims: gpd.GeoDataFrame, borders: gpd.GeoDataFrame, *,
                         name: str = "Claims about a whole country") -> FeatureLayer:
    """One badge per country with the number of claims located only to that country.

    The badge sits at a point inside the country's outline and reads e.g. "Iran · 17"; its
    popup lists those claims (id, verdict, summary), so none of them is drawn as a point.
    """
    table = StyleTable()
    s = table.index({})
    country = country_claims(claims, borders)
    rows = []
    for iso3, members in claims.groupby(country.dropna()):
        outline = borders.loc[iso3]
        label = str(outline.get("name") or iso3)
        centre = outline.geometry.centroid
        inside = outline.geometry.contains(centre)
        point = centre if inside else outline.geometry.representative_point()
        rows.append({"iso3": iso3, "label": label, "members": members, "geometry": point})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=borders.crs) if rows else None

    def props(idx, row):
        members = row["members"]
        items = "".join(
            f"<li><b>{escape_html(cid)}</b> ({escape_html(style.VERDICT_LABELS.get(v, v))}): "
            f"{bidi(summary)}</li>"
            for cid, v, summary in zip(members.get("claim_id", members.index), members["verdict"],
                                       members.get("summary", [""] * len(members)), strict=True))
        note = Markup(f"<p>These claims name {escape_html(row['label'])} as a whole, so they "
                      "are not drawn at a point. Choose one in the claim list to read it.</p>"
                      f"<ul class=\"ce-country-list\">{items}</ul>")
        count = len(members)
        return {
            "i": str(row["iso3"]), "s": s, "c": [category("claims", "country")],
            "k": f"<div>{escape_html(row['label'])} · {count}</div>",
            "t": escape_html(country_tooltip(row["iso3"], row["label"], count)),
            "p": popup(f"{row['label']}: {count} claim(s) about the whole country", [],
                       extra=note, css_class="ce-popup ce-country-popup",
                       data={"country": row["iso3"]}),
        }

    feats = [] if frame is None else display_features(frame, properties=props)
    return FeatureLayer(feats, table.styles, name=name, point="badge", badge_class="ce-country")


def _open_js(claim: str) -> str:
    """JavaScript that opens the popup of the claim whose id is the JS expression ``claim`` on
    map ``m``, without changing the zoom; it evaluates to false when no marker has that id."""
    return (
        "(function(){ var reg = window." + REGISTRY + " || {}, l = reg[" + claim + "];"
        " if (!l || !l.getLatLng) { return false; } window.__ceOpenClaim = true;"
        " var group = window." + REGISTRY + "Group, shown = group ? group.getVisibleParent(l) : l;"
        " document.querySelectorAll('.ce-open').forEach(function(e){"
        " e.classList.remove('ce-open'); });"
        " if (shown && shown.getElement && shown.getElement()) {"
        " shown.getElement().classList.add('ce-open'); }"
        " if (shown === l) { l.openPopup(); } else {"
        " L.popup(l.getPopup().options).setLatLng(l.getLatLng())"
        ".setContent(l.getPopup().getContent()).openOn(m); }"
        " return true; })()"
    )


def open_claim_script(claim_id: str) -> Script:
    """Script that opens the popup of claim ``claim_id`` without changing the zoom.

    Add it to the map (or to a group on the map) after the claims layer. The popup opens at
    the claim's marker; if the marker sits in a cluster, the popup opens at its place all the
    same and the cluster is outlined. Leaflet then pans the map (never zooms) just enough for
    the whole popup to be inside the map.
    """
    return Script("setTimeout(function(){ var m = {map}; "
                  + _open_js(js_literal(str(claim_id))) + "; }, 0);")


def claim_from_url_script() -> Script:
    """Script that opens the claim named in the page address (``claim=ID``) whenever it changes.

    For the app, whose map sits in a frame of the page: the page keeps its view in the
    address, so a claim chosen beside the map reaches the map without redrawing any layer.
    The address is compared once per animation frame (a string comparison) and read only
    when it changed; a claim without a marker (located only to a country) is left alone.
    The frame also offers ``window.__ceShowClaim(id)``, which opens a claim at once (a list
    beside the map calls it on a click, before the address changes; the popup is then not
    opened a second time when it does).
    """
    code = (
        "(function(){ var m = {map}, href = null, last = null;"
        " window.__ceShowClaim = function(cid){ last = cid; return " + _open_js("cid") + "; };"
        " function tick(){ var now = null; try { now = window.parent.location.href; }"
        " catch (err) { return; }"
        " if (now !== href && Object.keys(window." + REGISTRY + " || {}).length > 0) {"
        " href = now; var id = new URL(now).searchParams.get('claim');"
        " if (id && id !== last) { var cid = id; " + _open_js("cid") + "; }"
        " last = id; }"
        " requestAnimationFrame(tick); }"
        " requestAnimationFrame(tick); })();"
    )
    return Script(code)
