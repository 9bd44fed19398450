"""Claims: the checked claims table (filterable) and the draft flow for a new article."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import geo
from app_pages import _data, _errors
from app_pages import _view_state as vs
from geo.claims.files import check_article_text

started = _data.start_timer()
st.title("Claims")
st.caption("What articles say, checked against the geodata. Verdicts and evidence are computed "
           "at run time from the data files; quotes are shown as plain text.")

checked, error = _data.claims()
vs.current()
vs.write_url()  # keep the view (routes, extent, filters...) in the link
tab_table, tab_new = st.tabs(["Checked claims", "Add an article"])

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
    with st.form("draft_form"):
        c1, c2, c3 = st.columns(3)
        article_id = c1.text_input("Article id", placeholder="e.g. reuters-2025-zangezur",
                                   help="Lower-case letters, digits and hyphens; the file name.")
        publication = c2.text_input("Publication", "")
        date = c3.text_input("Date (YYYY-MM-DD, optional)", "")
        c4, c5, c6 = st.columns(3)
        title = c4.text_input("Title (optional)", "")
        author = c5.text_input("Author (optional)", "")
        url = c6.text_input("URL (optional)", "")
        kind = st.selectbox("Article kind", ["news", "opinion", "analysis", "interview",
                                             "official", "other"])
        text = st.text_area("Article text", height=220)
        submitted = st.form_submit_button("Draft claims", type="primary")
    if submitted:
        if not article_id.strip() or not text.strip():
            st.error("An article id and the article text are needed.")
        else:
            with _errors.guard("The draft"):
                check_article_text(text, source="the pasted article text")
                st.session_state["draft_doc"] = geo.draft_claims(
                    text, article_id=article_id.strip(),
                    publication=publication.strip() or "unknown publication",
                    title=title.strip() or None, author=author.strip() or None,
                    date=date.strip() or None, url=url.strip() or None, kind=kind,
                )
    doc = st.session_state.get("draft_doc")
    if doc:
        claims_list = doc.get("claims") or []
        st.subheader(f"Draft: {len(claims_list)} proposed claim(s) for {doc['article']['id']}")
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
        overwrite = st.checkbox("Replace an existing file with this id", value=False)
        if st.button("Save claims file"):
            out = {"article": dict(doc["article"]), "claims": []}
            for claim, (_, row) in zip(claims_list, edited.iterrows(), strict=True):
                if row["keep"]:
                    out["claims"].append({**claim, "kind": row["kind"], "summary": row["summary"]})
            path = None
            with _errors.guard("Not saved"):
                path = geo.save_claims(out, overwrite=overwrite)
            if path is not None:
                st.success(f"Saved {path}. The claims are checked on the Claims and Map pages.")
                st.cache_resource.clear()
                st.session_state.pop("draft_doc", None)

_data.log_run("claims", started)
