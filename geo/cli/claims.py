"""``corridors claims``: checked claims as a table; ``corridors claims draft ARTICLE.txt``.

``claims`` takes an optional action word, so both forms work with one parser:

    corridors claims [--article ID] [--format table|csv|json]
    corridors claims draft ARTICLE.txt [--article-id ID] [--publication P] [--out FILE | --save]
                                       [--overwrite]
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from .._errors import ClaimsFileError
from .._io import atomic_write_text
from ..claims import (
    check_claims,
    claims_on_topic,
    draft_claims,
    load_claims,
    preview,
    project_records,
    save_claims,
)
from ..claims.files import check_reads_back, claims_dir, dump_claims, read_article
from ..claims.importing import article_from_html, fetch_article
from ..claims.lines import one_line, one_line_fields
from ..data import load_routes
from ..overlay import segment_metrics
from ..vocab import TOPICS
from .output import add_format, emit

TABLE_COLUMNS = ["claim_id", "kind", "quote", "who", "verdict", "evidence"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "claims",
        help="article claims with verdicts from the geodata; 'claims draft FILE' proposes claims",
        description=(
            "Without an action: list the claims of every article (or --article ID) with the "
            "verdict and evidence computed from the geodata. With 'draft ARTICLE.txt': find the "
            "places, routes and countries the text mentions and propose claim records as YAML."
        ),
    )
    p.add_argument(
        "action", nargs="?", choices=["draft"], help="'draft' to propose claims from a text"
    )
    p.add_argument("file", nargs="?", type=Path, help="article text file (for 'draft')")
    p.add_argument("--article", help="only the claims of this article id")
    p.add_argument("--topic", choices=sorted(TOPICS), metavar="TOPIC",
                   help="every claim on one topic, outlet by outlet and date by date, with the "
                        "figure stated and the geodata's on that date: "
                        + ", ".join(sorted(TOPICS)))
    p.add_argument("--projects", action="store_true",
                   help="what the articles state about each segment's project (contractor, "
                        "lender, loan, financing, cost, start and opening), one row per "
                        "statement, with its article")
    add_format(p)
    d = p.add_argument_group("draft options")
    d.add_argument("--article-id", help="id of the new claims file (default: from the file name)")
    d.add_argument("--publication", default="unknown publication", help="publication name")
    d.add_argument("--title", help="article title")
    d.add_argument("--author", help="article author")
    d.add_argument("--date", help="publication date YYYY, YYYY-MM or YYYY-MM-DD")
    d.add_argument("--url", help="article address")
    d.add_argument("--from-url", metavar="URL",
                   help="fetch the article from this web address (needs the internet; the text "
                        "and the details the page gives are read with trafilatura); a saved "
                        "page (.html) given as the file is read the same way, offline")
    d.add_argument(
        "--kind", choices=["news", "opinion", "analysis"], default="news", help="article kind"
    )
    d.add_argument("--language", default="en", help="language code of the text (default en)")
    out = d.add_mutually_exclusive_group()
    out.add_argument("--out", type=Path, help="write the draft YAML to this file")
    out.add_argument("--save", action="store_true", help="validate and save under data/claims/")
    d.add_argument("--overwrite", action="store_true", help="replace an existing file")
    d.add_argument("--yes", action="store_true", help="save without asking (the target is shown)")
    p.add_argument("--as-of", metavar="DATE",
                   help="check every claim as of this date (default: the article's date, with "
                        "today's result beside it where it differs)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    if args.action == "draft":
        return _draft(args)
    return _table(args)


def _table(args) -> int:
    _check_readable(claims_dir())
    claims = load_claims(args.article)
    if len(claims):
        # The geodata every check rests on: a fault in it is an error that names the file,
        # not a column of "not checkable" verdicts.
        load_routes()
        segment_metrics()
    if args.projects:
        table = project_records(claims)
        if args.format == "table":
            table["quote"] = table["quote"].map(lambda q: q if len(q) <= 60 else q[:57] + "...")
        emit(table, args.format)
        return 0
    if args.topic:
        table = claims_on_topic(args.topic, claims, as_of=args.as_of).drop(columns=["routes"])
        if args.format == "table":
            table["quote"] = table["quote"].map(lambda q: q if len(q) <= 60 else q[:57] + "...")
        emit(table, args.format)
        return 0
    checked = check_claims(claims, as_of=args.as_of)
    cols = TABLE_COLUMNS if args.format == "table" else ["article_id", *TABLE_COLUMNS]
    frame = checked[cols].copy()
    if args.format == "table":
        frame["quote"] = frame["quote"].map(lambda q: q if len(q) <= 60 else q[:57] + "...")
    emit(frame, args.format)
    return 0


def _draft(args) -> int:
    page: dict = {}
    if args.from_url:
        page = fetch_article(args.from_url)
        text, stem = page["text"], args.from_url.rstrip("/").rsplit("/", 1)[-1] or "article"
    elif args.file is None:
        msg = ("claims draft: give the article text file, e.g. 'corridors claims draft "
               "article.txt', a saved page (page.html), or --from-url URL")
        raise ClaimsFileError(msg)
    else:
        text, stem = read_article(args.file), args.file.stem
        if args.file.suffix.lower() in (".html", ".htm"):
            page = article_from_html(text, url=args.url, source=str(args.file))
            text = page["text"]
    article_id = args.article_id or re.sub(r"[^a-z0-9-]+", "-", stem.lower()).strip("-")[:80]
    given = args.publication if args.publication != "unknown publication" else None
    doc = draft_claims(
        text,
        article_id=article_id or "article",
        publication=one_line(given or page.get("publication") or "unknown publication"),
        title=one_line(args.title or page.get("title")),
        author=one_line(args.author or page.get("author")),
        date=one_line(args.date or page.get("date")),
        url=one_line(args.url or page.get("url")),
        kind=args.kind,
        language=one_line(args.language if args.language != "en" or not page.get("language")
                          else page["language"]),
        source_file=args.file.name if args.file is not None else None,
    )
    doc = one_line_fields(doc)
    _print_review(doc)
    if args.save:
        target = claims_dir() / f"{doc['article']['id']}.yaml"
        if not _confirmed(args, f"Save {len(doc['claims'])} draft claim(s) to {target}?"):
            print(f"not saved: nothing was written to {target}", file=sys.stderr)
            return 1
        path = save_claims(doc, overwrite=args.overwrite)
        print(f"saved {len(doc['claims'])} draft claim(s) to {path}", file=sys.stderr)
    elif args.out is not None:
        exists = f"{args.out}: file exists and was left unchanged; pass --overwrite to replace it"
        if args.out.exists() and not args.overwrite:
            raise ClaimsFileError(exists)
        try:  # exclusive: a file made meanwhile by another session is not replaced either
            atomic_write_text(args.out, dump_claims(doc), exclusive=not args.overwrite,
                              verify=check_reads_back(doc, label=str(args.out)))
        except FileExistsError:
            raise ClaimsFileError(exists) from None
        print(f"wrote {len(doc['claims'])} draft claim(s) to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(dump_claims(doc))
    return 0


def _check_readable(folder: Path) -> None:
    """A claims folder that cannot be listed is an error naming it: listing it as empty
    would print "(no rows)" as though no article had claims."""
    if not folder.is_dir():
        return  # no claims folder: no claims (a note says so)
    try:
        os.listdir(folder)
    except OSError as err:
        msg = (f"{folder}: the claims folder cannot be read ({err.strerror or err}); "
               "check its permissions")
        raise ClaimsFileError(msg) from err


def _print_review(doc: dict) -> None:
    """Each proposed claim's places, routes and check, with the verdict it would get."""
    table = preview(doc)
    print(f"Review: {len(table)} proposed claim(s) (verdicts as they would be computed now)",
          file=sys.stderr)
    for row in table.to_dict("records"):
        print(f"  {row['claim_id']} [{row['kind']}] places: {', '.join(row['places']) or '-'}; "
              f"routes: {', '.join(row['routes']) or '-'}", file=sys.stderr)
        print(f"    check: {row['check']}", file=sys.stderr)
        print(f"    would show: {row['verdict']}: {row['evidence']}", file=sys.stderr)


def _confirmed(args, question: str) -> bool:
    """``--yes``, or a yes typed at the prompt; never a silent write."""
    if args.yes:
        print(f"{question} yes (--yes)", file=sys.stderr)
        return True
    if not sys.stdin.isatty():
        print(f"{question} Pass --yes to save without a prompt.", file=sys.stderr)
        return False
    answer = input(f"{question} [y/N] ")
    return answer.strip().lower() in ("y", "yes")
