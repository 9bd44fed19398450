"""Claims: the checked claims table (filterable) and the draft flow for a new article.

Drafting an article shows each proposed claim's places, routes and check with the verdict it
would get; saving names the file it will write and asks to confirm before writing it, then
reads the file back.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

import geo
from app_pages import _check_editor, _data, _errors
from app_pages import _view_state as vs
from app_pages._text import plain
from geo import textsafe
from geo.claims import preview, set_claim_kind
from geo.claims.files import check_article_text, claims_dir
from geo.claims.importing import article_from_html, fetch_article

started = _data.start_timer()
st.title("Claims")
st.caption("What articles say, checked against the geodata. Verdicts and evidence are computed "
           "at run time from the data files; quotes are shown as plain text.")

checked, error = _data.claims()
vs.current()
vs.write_url()  # keep the view (routes, extent, filters...) in the link
def edited_document(doc: dict, edited: pd.DataFrame) -> dict:
    """The draft with the editor's choices: kept claims, their kinds and summaries."""
    out = {"article": dict(doc["article"]), "claims": []}
    for claim, row in zip(doc.get("claims") or [], edited.to_dict("records"), strict=True):
        if row["keep"]:
            changed = set_claim_kind(claim, row["kind"], date=doc["article"].get("date"))
            out["claims"].append({**changed, "summary": row["summary"]})
    return out


@st.cache_data(show_spinner="Checking the proposed claims against the geodata…",
               max_entries=8)
def review_table(key: str, doc_json: str) -> pd.DataFrame:
    """Each claim's places, routes and check, and the verdict and evidence it would get."""
    table = preview(json.loads(doc_json), data_dir=_data.folder_of(key))
    return pd.DataFrame({
        "claim": table["claim_id"],
        "kind": table["kind"],
        "places": [", ".join(map(str, v)) for v in table["places"]],
        "routes": [", ".join(map(str, v)) for v in table["routes"]],
        "check": table["check"],
        "would show": [geo.style.VERDICT_LABELS.get(v, v) for v in table["verdict"]],
        "evidence": table["evidence"],
    })


def page_source() -> None:
    """Fill the form from a web page: fetched from its address (online), or a saved page or
    text file (offline); the article's text and the details the page gives."""
    with st.expander("Read the article from a web page or a saved file", expanded=False):
        left, right = st.columns(2)
        address = left.text_input("Web address", key="draft_page_url",
                                  placeholder="https://…", help="Needs the internet.")
        fetch = left.button("Fetch the article", key="draft_page_fetch")
        saved = right.file_uploader("Or a saved page (.html) or text (.txt)",
                                    type=["html", "htm", "txt"], key="draft_page_file")
        page = None
        with _errors.guard("The page cannot be read"):
            if fetch and address.strip():
                page = fetch_article(address.strip())
            elif saved is not None and st.session_state.get("draft_page_done") != saved.file_id:
                st.session_state["draft_page_done"] = saved.file_id
                raw = saved.getvalue().decode("utf-8", errors="replace")
                page = ({"text": check_article_text(raw, source=saved.name)}
                        if saved.name.lower().endswith(".txt") else
                        article_from_html(raw, source=saved.name))
        if page is not None:
            state = st.session_state
            for field, key in (("text", "draft_f_text"), ("publication", "draft_f_publication"),
                               ("date", "draft_f_date"), ("title", "draft_f_title"),
                               ("author", "draft_f_author"), ("url", "draft_f_url")):
                if page.get(field):
                    state[key] = str(page[field])
            st.success(f"Read {len(page['text']):,} characters of article text; check the "
                       "details below before drafting.")


def choose_checks(out: dict) -> dict:
    """Let the user choose or edit any kept claim's check (predicate and arguments from
    lists, ``_check_editor``); the draft with the checks chosen so far."""
    chosen = st.session_state.setdefault("draft_checks", {})
    kept = {c["id"]: c for c in out["claims"]}
    if kept:
        with st.expander("Choose or edit a claim's check", expanded=False):
            cid = st.selectbox("Claim", list(kept), key="draft_check_claim",
                               format_func=lambda i: f"{i}: {kept[i]['quote'][:70]}")
            claim = kept[cid]
            applied = _check_editor.editor({**claim, "check": chosen.get(cid, claim["check"])},
                                           _data.core(), key=f"draft_chk_{cid}")
            if applied is not None:
                chosen[cid] = applied
                st.rerun()
            if cid in chosen:
                st.caption("This claim uses the check chosen here; the review below shows the "
                           "verdict it gets.")
    return {**out, "claims": [{**c, "check": chosen.get(c["id"], c["check"])}
                              for c in out["claims"]]}


def draft_review(doc: dict) -> None:
    """Edit the proposals, review what each would show, then save with a confirmation."""
    claims_list = doc.get("claims") or []
    article_id = doc["article"]["id"]
    st.subheader(f"Draft: {len(claims_list)} proposed claim(s) for {article_id}")
    st.caption("Untick a claim to leave it out; correct its kind and summary. The review "
               "below shows what each kept claim would show once saved.")
    editor = pd.DataFrame({
        "keep": [True] * len(claims_list),
        "id": [c.get("id") for c in claims_list],
        "kind": [c.get("kind") for c in claims_list],
        "summary": [c.get("summary") for c in claims_list],
        "quote": [c.get("quote") for c in claims_list],
    })
    edited = st.data_editor(
        editor, hide_index=True, width="stretch", key="draft_editor",
        disabled=["id", "quote"],
        column_config={"kind": st.column_config.SelectboxColumn(
            options=list(geo.style.CLAIM_KIND_SYMBOLS), required=True)},
    )
    out = edited_document(doc, edited)
    out = choose_checks(out)
    problems = geo.validate_claims(out, data_dir=_data.folder_of(_data.data_key()))
    if problems:
        st.warning("Some checks are not complete yet (they are not saved like this):\n\n"
                   + "\n".join(f"- {plain(p.record)}: {plain(p.field)} {plain(p.message)}"
                                for p in problems[:20]))

    st.markdown("**Review: what each kept claim would show** (places, routes and the check "
                "found in the text; the verdict and evidence as computed now from the geodata)")
    with _errors.guard("The review of the draft"):
        if problems:
            return
        review = review_table(_data.data_key(), json.dumps(out, default=str))
        st.dataframe(textsafe.table_frame(review), hide_index=True, width="stretch",
                     key="draft_review",
                     column_config={"check": st.column_config.TextColumn(width="medium"),
                                    "evidence": st.column_config.TextColumn(width="large")})

    target = claims_dir(_data.folder_of(_data.data_key())) / f"{article_id}.yaml"
    st.markdown("**Save**: the claims file will be written to")
    st.code(str(target), language=None)
    exists = target.exists()
    overwrite = False
    if exists:
        overwrite = st.checkbox(f"A file {target.name} exists: replace it", value=False,
                                key="draft_overwrite")
    state = st.session_state
    if state.get("draft_confirm") != str(target):
        if st.button("Save claims file…", disabled=not out["claims"] or (exists and not overwrite),
                     key="draft_save"):
            state["draft_confirm"] = str(target)
            st.rerun()
        if not out["claims"]:
            st.caption("No claim is kept: nothing to save.")
        return
    verb = "Replace" if exists else "Write"
    st.warning(f"{verb} {plain(str(target))} with {len(out['claims'])} claim(s)? Nothing is "
               "written until you confirm.")
    c1, c2 = st.columns(2)
    if c2.button("Cancel", key="draft_cancel"):
        state.pop("draft_confirm", None)
        st.rerun()
    if not c1.button(f"Yes, {verb.lower()} {target.name}", type="primary", key="draft_write"):
        return
    state.pop("draft_confirm", None)
    path = None
    with _errors.guard("Not saved"):
        path = geo.save_claims(out, data_dir=_data.folder_of(_data.data_key()),
                               overwrite=overwrite)
    if path is None:
        return
    read_back = None
    with _errors.guard(f"Saved {path}, but it does not read back"):
        read_back = len(geo.load_claims(article_id, data_dir=_data.folder_of(_data.data_key())))
    if read_back is None:
        return
    st.cache_resource.clear()
    state.pop("draft_doc", None)
    state.pop("draft_checks", None)
    state["draft_saved"] = {"path": str(path), "article": article_id, "read_back": read_back,
                            "written": len(out["claims"])}
    st.rerun()


tab_table, tab_projects, tab_new = st.tabs(["Checked claims", "Projects", "Add an article"])

with tab_projects:
    st.caption("What the articles state about each section's project: who builds it, who lends "
               "or pays, what it costs, when it starts or opens. Each statement keeps its "
               "article; statements that differ stay side by side, none is preferred.")
    with _errors.guard("The project records"):
        records = geo.project_records(data_dir=_data.folder_of(_data.data_key()))
        if records.empty:
            st.info("No article in the claims files states who builds or pays for a section.")
        else:
            sections = sorted(records["segment_name"].unique())
            pick = st.multiselect("Sections", sections, default=sections, key="w_projects")
            shown = records[records["segment_name"].isin(pick)]
            st.dataframe(textsafe.table_frame(shown.drop(columns=["segment", "article_id"])),
                         hide_index=True, width="stretch", key="w_projects_table",
                         column_config={
                             "segment_name": st.column_config.TextColumn("section"),
                             "amount": st.column_config.NumberColumn(format="%,.0f"),
                             "date": st.column_config.TextColumn("date stated"),
                             "quote": st.column_config.TextColumn(width="large")})
            st.download_button("Download the project records (CSV)", _data.csv_bytes(shown),
                               file_name="project-records.csv", mime="text/csv",
                               key="dl_projects", on_click="ignore")

with tab_table:
    if checked is None:
        _errors.show(error, "Claims are not available")
    else:
        c1, c2, c3, c4 = st.columns(4)
        articles = sorted(checked["article_id"].dropna().unique())
        kinds = sorted(checked["kind"].dropna().unique())
        verdicts = sorted(checked["verdict"].dropna().unique())
        pick_article = c1.multiselect("Article", articles, default=articles)
        pick_kind = c2.multiselect("Kind", kinds, default=kinds)
        pick_verdict = c3.multiselect("Verdict", verdicts, default=verdicts,
                                      format_func=lambda v: geo.style.VERDICT_LABELS.get(v, v))
        search = c4.text_input("Search text", "", placeholder="word in quote, summary or evidence")
        view = checked[checked["article_id"].isin(pick_article) & checked["kind"].isin(pick_kind)
                       & checked["verdict"].isin(pick_verdict)]
        if search.strip():
            needle = search.strip().lower()
            hay = (view["quote"].fillna("") + " " + view["summary"].fillna("") + " "
                   + view["evidence"].fillna("")).str.lower()
            view = view[hay.str.contains(needle, regex=False)]
        table = pd.DataFrame({
            "claim": view["claim_id"],
            "article": view["article_id"],
            "kind": view["kind"],
            "verdict": [geo.style.VERDICT_LABELS.get(v, v) for v in view["verdict"]],
            "quote": view["quote"],
            "said by": view["who"],
            "evidence": view["evidence"],
            "where": view.get("location"),
        })
        st.caption(f"{len(table)} of {len(checked)} claim(s).")
        st.dataframe(table, hide_index=True, width="stretch", key="claims_table",
                     column_config={"quote": st.column_config.TextColumn(width="large"),
                                    "evidence": st.column_config.TextColumn(width="large")})
        st.download_button("Download these claims (CSV)", table.to_csv(index=False),
                           file_name="claims.csv", mime="text/csv")

with tab_new:
    st.markdown("Paste an article, get one proposed claim per relevant sentence, review "
                "the summaries and kinds, then save a claims file for checking.")
    page_source()
    with st.form("draft_form"):
        c1, c2, c3 = st.columns(3)
        article_id = c1.text_input("Article id", placeholder="e.g. reuters-2025-zangezur",
                                   help="Lower-case letters, digits and hyphens; the file name.",
                                   key="draft_f_id")
        publication = c2.text_input("Publication", key="draft_f_publication")
        date = c3.text_input("Date (YYYY-MM-DD, optional)", key="draft_f_date")
        c4, c5, c6 = st.columns(3)
        title = c4.text_input("Title (optional)", key="draft_f_title")
        author = c5.text_input("Author (optional)", key="draft_f_author")
        url = c6.text_input("URL (optional)", key="draft_f_url")
        kind = st.selectbox("Article kind", ["news", "opinion", "analysis", "interview",
                                             "official", "other"])
        text = st.text_area("Article text", height=220, key="draft_f_text")
        submitted = st.form_submit_button("Draft claims", type="primary")
    if submitted:
        if not article_id.strip() or not text.strip():
            st.error("An article id and the article text are needed.")
        else:
            with _errors.guard("The draft"):
                check_article_text(text, source="the pasted article text")
                for stale in ("draft_saved", "draft_confirm", "draft_editor", "draft_checks"):
                    st.session_state.pop(stale, None)
                st.session_state["draft_doc"] = geo.draft_claims(
                    text, article_id=article_id.strip(),
                    publication=publication.strip() or "unknown publication",
                    title=title.strip() or None, author=author.strip() or None,
                    date=date.strip() or None, url=url.strip() or None, kind=kind,
                )
    doc = st.session_state.get("draft_doc")
    saved = st.session_state.get("draft_saved")
    if saved and not doc:
        st.success(f"Saved {plain(saved['path'])}: read back from the file, "
                   f"{saved['read_back']} claim(s) of article {plain(saved['article'])}. They "
                   "are checked on the Checked claims tab and drawn on the Map page.")
        if saved["read_back"] != saved["written"]:
            st.warning(f"{saved['written']} claim(s) were written but "
                       f"{saved['read_back']} read back.")
    if doc:
        draft_review(doc)


_data.log_run("claims", started)
