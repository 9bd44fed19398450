"""The claim list beside the Map: one row per claim as it is in the data, synced with the map.

Each row shows the claim's id, its verdict (word and colour), its kind, the claim's own words
(the quote, wrapped, never cut), who said it and when (the article's date, and the date of
the event it reports when the data give one). The chosen row opens in place with the summary,
the evidence and the sources, and the list scrolls to it: when a row is clicked, and when the
claim is chosen elsewhere (a marker on the map, a link), so the two always show the same claim.

The list is a small inline component (``st.components.v2``, no frame, nothing fetched): the
browser builds every row with ``textContent`` from the rows of :func:`claim_rows`, so article
text is shown as text and can never become markup. A click reports ``{"claim", "n"}`` (``n``
counts clicks, so choosing the same claim again after the map chose another still counts).
"""

from __future__ import annotations

import hashlib
import json
import math

import pandas as pd
import streamlit as st

from geo import style

#: The component's state key in ``st.session_state`` (its value: ``{"pick": {"claim", "n"}}``).
KEY = "w_claim_list"
_LAST = "w_claim_list_last"  # the last click handled

# The list's own look: rows that wrap, a verdict chip in the verdict's colour, the chosen row
# outlined and opened. Class names start with ``ce-cl`` (the list is not style-isolated, so
# the page's text tools and tests read it like the rest of the page).
_CSS = """
.ce-cl { position: relative; overflow-y: auto; max-height: 420px; border: 1px solid #d6d6d9;
  border-radius: 0.5rem; font-size: 0.875rem; line-height: 1.35; background: #fff; }
.ce-cl-empty { padding: 0.75rem; color: #555; }
.ce-cl-row { display: block; padding: 0.45rem 0.6rem 0.5rem; border-bottom: 1px solid #ececef;
  cursor: pointer; outline: none; }
.ce-cl-row:last-child { border-bottom: none; }
.ce-cl-row:hover { background: #f6f6f8; }
.ce-cl-row:focus-visible { box-shadow: inset 0 0 0 2px #1c83e1; }
.ce-cl-row.ce-cl-chosen { background: #fff8e6; box-shadow: inset 4px 0 0 #d55e00; }
.ce-cl-head { display: flex; flex-wrap: wrap; gap: 0.25rem 0.4rem; align-items: center; }
.ce-cl-id { font-weight: 700; font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
  font-size: 0.8rem; }
.ce-cl-verdict { border-radius: 0.7rem; padding: 0 0.45rem; font-size: 0.75rem; color: #111;
  font-weight: 600; white-space: nowrap; }
.ce-cl-kind { color: #555; font-size: 0.75rem; }
.ce-cl-quote { margin: 0.2rem 0 0.15rem; overflow-wrap: anywhere; }
.ce-cl-meta { color: #555; font-size: 0.78rem; overflow-wrap: anywhere; }
.ce-cl-detail { display: none; margin-top: 0.35rem; padding-top: 0.35rem;
  border-top: 1px dashed #d6d6d9; cursor: auto; }
.ce-cl-chosen .ce-cl-detail { display: block; }
.ce-cl-detail p { margin: 0 0 0.3rem; overflow-wrap: anywhere; font-size: inherit;
  line-height: inherit; }
.ce-cl-detail b { font-weight: 600; }
"""

_HTML = '<div class="ce-cl" role="listbox" aria-label="Claims"></div>'

# Builds the rows (text only) when the rows change, marks the chosen row and scrolls the list
# to it when the chosen claim changes, and keeps the list's bottom inside the window. A click
# also opens the claim on the map at once (the map frame's ``__ceShowClaim``), then reports it.
_JS = """
const MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]';
export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".ce-cl");
  if (!root) { return; }
  root.__pick = (id) => {
    root.__n = (root.__n || 0) + 1;
    mark(id);
    showOnMap(id);
    setStateValue("pick", { claim: id, n: Date.now() * 100 + (root.__n % 100) });
  };
  function showOnMap(id) {  // at once, before the page reruns (layers.claim_from_url_script)
    try {
      const map = document.querySelector(MAP_FRAME);
      if (map && map.contentWindow && map.contentWindow.__ceShowClaim) {
        map.contentWindow.__ceShowClaim(id);
      }
    } catch (err) { /* the map is not ready: it opens the claim from the address */ }
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function line(label, text) {
    const p = el("p");
    p.appendChild(el("b", null, label + ": "));
    const t = el("span", null, text);
    t.dir = "auto";
    p.appendChild(t);
    return p;
  }
  function build(rows) {
    root.replaceChildren();
    if (!rows.length) {
      root.appendChild(el("div", "ce-cl-empty", data.empty || "No claim matches."));
      return;
    }
    rows.forEach((r) => {
      const row = el("div", "ce-cl-row");
      row.dataset.claim = r.id;
      row.tabIndex = 0;
      row.setAttribute("role", "option");
      const head = el("div", "ce-cl-head");
      head.appendChild(el("span", "ce-cl-id", r.id));
      const chip = el("span", "ce-cl-verdict", r.verdict);
      chip.style.background = r.color;
      head.appendChild(chip);
      head.appendChild(el("span", "ce-cl-kind", r.kind));
      row.appendChild(head);
      const quote = el("div", "ce-cl-quote", "\\u201c" + r.quote + "\\u201d");
      quote.dir = "auto";
      row.appendChild(quote);
      const meta = el("div", "ce-cl-meta", r.said);
      meta.dir = "auto";
      row.appendChild(meta);
      const detail = el("div", "ce-cl-detail");
      r.detail.forEach(([label, text]) => detail.appendChild(line(label, text)));
      detail.addEventListener("click", (ev) => ev.stopPropagation());
      row.appendChild(detail);
      row.addEventListener("click", () => root.__pick(r.id));
      row.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); root.__pick(r.id); }
      });
      root.appendChild(row);
    });
  }
  function mark(id) {
    root.querySelectorAll(".ce-cl-row").forEach((row) => {
      const on = row.dataset.claim === id;
      row.classList.toggle("ce-cl-chosen", on);
      row.setAttribute("aria-selected", on ? "true" : "false");
    });
  }
  function fit() {
    const top = root.getBoundingClientRect().top + window.scrollY;
    let room = window.innerHeight - top - 16;
    if (room < 220) { room = Math.max(280, window.innerHeight * 0.75); }
    root.style.maxHeight = Math.round(room) + "px";
  }
  function reveal(id) {
    const row = id ? root.querySelector('.ce-cl-row[data-claim="' + CSS.escape(id) + '"]') : null;
    if (row) { root.scrollTop = row.offsetTop - 2; }
  }
  if (root.dataset.sig !== data.sig) {
    build(data.rows || []);
    root.dataset.sig = data.sig;
    root.dataset.chosen = "";
  }
  fit();
  const chosen = data.chosen || "";
  mark(chosen);
  if (root.dataset.chosen !== chosen) {
    root.dataset.chosen = chosen;
    reveal(chosen);
  }
  if (root.__fit) { window.removeEventListener("resize", root.__fit); }
  root.__fit = fit;  // one listener, whatever the number of runs
  window.addEventListener("resize", fit);
  return () => window.removeEventListener("resize", fit);
}
"""

_component = st.components.v2.component("corridors.claim_list", html=_HTML, css=_CSS, js=_JS,
                                        isolate_styles=False)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == ""


def _text(value: object) -> str:
    return "" if _blank(value) else str(value)


def who_text(row: dict) -> str:
    """Who said it: "Ali Khamenei (as reported by the article)", "the article's author"."""
    who, role = _text(row.get("who")), _text(row.get("role"))
    if not who:
        return role or "not recorded"
    return who if not role or role in ("author", "reported") else f"{who} ({role})"


def said_text(row: dict) -> str:
    """Who said it, where and when: the article's date, and the event's date when given."""
    publication = _text(row.get("publication")) or "unknown publication"
    published = _text(row.get("article_date"))
    parts = [who_text(row), f"{publication}, {published}" if published else
             f"{publication} (undated)"]
    if _text(row.get("date")):
        parts.append(f"event {row['date']}")
    return " · ".join(parts)


def detail_lines(row: dict, country_name: str | None = None) -> list[tuple[str, str]]:
    """The opened row: label and text of each non-blank line (summary, evidence, sources)."""
    verdict_today = _text(row.get("verdict_today"))
    lines = [
        ("Evidence", _text(row.get("evidence"))),
        ("Summary", _text(row.get("summary"))),
        ("Checked against", f"the network as of {row['checked_as_of']}"
         if _text(row.get("checked_as_of")) else ""),
        ("Today", style.VERDICT_LABELS.get(verdict_today, verdict_today)
         if verdict_today and verdict_today != row.get("verdict") else ""),
        ("Where", _text(row.get("location"))),
        ("Said by", who_text(row)),
        ("Article", " · ".join(t for t in (_text(row.get("publication")),
                                          _text(row.get("article_title")),
                                          _text(row.get("article_id"))) if t)),
        ("Article date", _text(row.get("article_date")) or "not given in the article"),
        ("Event date", " ".join(t for t in (
            _text(row.get("date")),
            f"({row['date_source']})" if _text(row.get("date_source")) else "") if t)),
    ]
    if country_name:
        lines.append(("Located", f"only to {country_name} as a whole: not drawn as a point"))
    return [(label, text) for label, text in lines if text]


def claim_rows(claims: pd.DataFrame, country_name=None) -> list[dict]:
    """One dict per claim for the list: ``id``, ``verdict`` (words), ``color``, ``kind``,
    ``quote``, ``said`` (who, where, when) and ``detail`` (label, text pairs).

    ``claims`` are checked claims (``app_pages._data.claims``); ``country_name`` maps an ISO3
    code to a name for the claims located only to a whole country (column ``country``).
    """
    out = []
    for row in claims.to_dict("records"):
        verdict = _text(row.get("verdict"))
        country = _text(row.get("country"))
        out.append({
            "id": _text(row.get("claim_id")),
            "verdict": style.VERDICT_LABELS.get(verdict, verdict or "not checked"),
            "color": style.VERDICT_COLORS.get(verdict, "#ffffff"),
            "kind": _text(row.get("kind")),
            "quote": _text(row.get("quote")) or _text(row.get("summary")),
            "said": said_text(row),
            "detail": detail_lines(row, country_name(country) if country and country_name
                                   else None),
        })
    return out


def clicked(claims: pd.DataFrame) -> str | None:
    """The claim of ``claims`` the user clicked in the list since the last run, else None.

    Read before the list is drawn, so the page can choose the claim (and write the address the
    map reads) first and draw the list once, with that claim opened.
    """
    value = st.session_state.get(KEY)
    pick = value.get("pick") if isinstance(value, dict) else None
    if not isinstance(pick, dict) or pick == st.session_state.get(_LAST):
        return None
    st.session_state[_LAST] = pick
    claim = str(pick.get("claim") or "")
    return claim if claim in set(claims["claim_id"].astype(str)) else None


def show(claims: pd.DataFrame, chosen: str | None, *, country_name=None,
         empty: str = "No claim matches.") -> None:
    """Draw the list of ``claims`` with ``chosen`` opened and scrolled into view."""
    rows = claim_rows(claims, country_name)
    sig = hashlib.sha1(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:16]
    _component(data={"rows": rows, "chosen": chosen or "", "sig": sig, "empty": empty},
               key=KEY, default={"pick": None}, on_pick_change=lambda: None)
