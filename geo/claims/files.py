"""Claims files on disk: one YAML file per article in ``data/claims/<article-id>.yaml``.

:func:`load_claims` validates every file completely and raises one
:class:`~geo.ClaimsFileError` listing every problem by file, claim and field.
:func:`save_claims` validates a document the same way before writing it atomically, so a bad
document never replaces good data. Every value is written as YAML data (never inside a
comment), line breaks in one-line fields are replaced by a space, and the written text is read
back and compared before it replaces anything, so a saved file always loads.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import yaml

from .. import settings
from .._errors import ClaimCheckWarning, ClaimsFileError
from .._io import atomic_write_text
from .._read import UnreadableFile, load_yaml
from .._read import read_bytes as guarded_read
from .._validate import Problem, encoding_message, is_blank, read_text, yaml_error_text
from ..files import data_path
from .lines import one_line_fields
from .rules import assertion_warnings
from .schema import (
    ARTICLE_COLUMNS,
    ARTICLE_FIELDS,
    COLUMNS,
    ID_PATTERN,
    known_ids,
    new_problems,
    raise_problems,
    validate_claims,
    validate_document,
)


def claims_dir(data_dir: Path | str | None = None) -> Path:
    """The folder of claims files: ``<data_dir>/claims``."""
    return data_path("claims", data_dir)


def _read(path: Path) -> tuple[object, list[Problem]]:
    """The parsed claims file and no problems, or None and the problems that stop reading it.

    Read and parsed by the guarded reader (:mod:`geo._read`): a FIFO, a device, a file over
    the claims size limit, aliases, duplicate keys and too deep nesting are problems, and
    dates stay text for the schema's date checks.
    """
    problems = new_problems(path)
    try:
        text = read_text(problems, path, allow_empty=True, kind="claims")
        return load_yaml(text, libyaml_messages=True), []
    except ClaimsFileError:  # not a regular file, too large, encoding, BOM, NUL: recorded
        pass
    except yaml.YAMLError as err:
        problems.add("(file)", "(yaml)", None, yaml_error_text(err))
    return None, problems.items


def _paths(article_id: str | None, data_dir: Path | str | None) -> list[Path]:
    base = data_path("", data_dir)
    if not base.is_dir():
        msg = f"{base}: data folder not found"
        raise FileNotFoundError(msg)
    folder = claims_dir(data_dir)
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if article_id is None:
        return paths
    chosen = [p for p in paths if p.stem == article_id]
    if not chosen:
        known = ", ".join(p.stem for p in paths) or "none"
        msg = f"{folder}: no claims file for article {article_id!r}; known articles: {known}"
        raise FileNotFoundError(msg)
    return chosen


def _read_all(article_id: str | None, data_dir: Path | str | None) -> list[tuple[Path, dict]]:
    refs = known_ids(data_path("", data_dir))
    docs, problems = [], []
    for path in _paths(article_id, data_dir):
        doc, read_problems = _read(path)
        problems += read_problems or validate_document(
            doc, source=str(path), refs=refs, expected_id=path.stem
        )
        docs.append((path, doc))
    raise_problems(problems)
    for path, doc in docs:
        for message in assertion_warnings(doc, str(path)):
            warnings.warn(message, ClaimCheckWarning, stacklevel=3)
    return docs


def _norm_date(value: object) -> str | None:
    return None if is_blank(value) else str(value)


def claim_row(article: dict, claim: dict) -> dict:
    """One claim of a claims document as a flat row (the columns of :func:`load_claims`)."""
    feats = claim.get("features") or {}
    att = claim.get("attribution") or {}
    date = claim.get("date") or {}
    check = claim.get("check") or {}
    return {
        "article_id": article["id"],
        "claim_id": claim["id"],
        "quote": claim["quote"],
        "summary": claim["summary"],
        "who": att.get("who"),
        "role": att.get("role"),
        "kind": claim["kind"],
        "places": list(feats.get("places") or []),
        "routes": list(feats.get("routes") or []),
        "countries": list(feats.get("countries") or []),
        "points": [dict(p) for p in feats.get("points") or []],
        "date": _norm_date(date.get("value")),
        "date_precision": date.get("precision"),
        "date_source": date.get("source"),
        "context": [dict(c) for c in claim.get("context") or []],
        "predicate": check.get("predicate"),
        "args": dict(check.get("args") or {}),
        "reason": check.get("reason"),
        "tests": check.get("tests"),
        "why": check.get("why"),
        "check_as_of": _norm_date(article.get("date") or article.get("date_for_checks")),
        "publication": article.get("publication"),
        "article_kind": article.get("kind"),
        "article_title": article.get("title"),
        "article_date": _norm_date(article.get("date")),
        "topics": list(claim.get("topics") or []),
        "outlet_country": article.get("outlet_country"),
        "language": article.get("language"),
        "project": [dict(r) for r in claim.get("project") or []],
    }


def load_claims(article_id: str | None = None, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Every claim of every claims file (or of one article), one row per claim.

    Columns: ``article_id``, ``claim_id``, ``quote``, ``summary``, ``who``, ``role``, ``kind``,
    ``places``, ``routes``, ``countries`` (lists of ids), ``points`` (list of dicts),
    ``date``, ``date_precision``, ``date_source``, ``context`` (list of {text, source}),
    ``predicate``, ``args`` (dict), ``reason``, ``publication``, ``article_kind``,
    ``article_title`` and ``article_date`` (when the article was published; ``date`` is the
    date of what the claim reports), ``topics`` (ids of ``geo.vocab.TOPICS``; may be empty)
    ``outlet_country`` (ISO3 of where the outlet is based, or None) and ``language`` (the
    article's).

    Every file is validated in full (see :func:`validate_claims`); all problems of all files
    are raised together as one :class:`~geo.ClaimsFileError` naming file, claim and field.

    Parameters
    ----------
    article_id
        Only this article's file (``claims/<article_id>.yaml``); ``FileNotFoundError`` if none.
    data_dir
        Data folder (default ``settings.data_dir``).
    """
    rows = [
        claim_row(doc["article"], claim)
        for _, doc in _read_all(article_id, data_dir)
        for claim in doc["claims"]
    ]
    return _frame(rows, COLUMNS)


def load_articles(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per claims file: the article's details, ``n_claims`` and the file ``path``.

    Columns: ``article_id``, ``publication``, ``title``, ``title_note``, ``author``,
    ``author_note``, ``date``, ``date_note``, ``url``, ``kind``, ``language``,
    ``source_file``, ``as_of``, ``n_claims``, ``path``. Validated like :func:`load_claims`.
    """
    rows = []
    for path, doc in _read_all(None, data_dir):
        art = doc["article"]
        row = {field: art.get(field) for field in ARTICLE_FIELDS}
        row["article_id"] = row.pop("id")
        row["date"] = _norm_date(row["date"])
        row["as_of"] = _norm_date(row["as_of"])
        row["n_claims"] = len(doc["claims"])
        row["path"] = str(path)
        rows.append(row)
    return _frame(rows, ARTICLE_COLUMNS)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Object columns throughout, so a missing value stays ``None`` (not NaN)."""
    data = {c: pd.Series([r[c] for r in rows], dtype=object) for c in columns}
    return pd.DataFrame(data, columns=columns)


# ---------------------------------------------------------------------------------------------
# Saving


class _Dumper(yaml.SafeDumper):
    """Safe YAML with text that PyYAML would not read back as written (U+0085, U+2028, U+2029
    inside plain or single-quoted text) put in double quotes, where they are escaped, and
    without anchors or aliases: a value used twice is written twice, since claims files are
    read without aliases (``geo._read``)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


_ESCAPE_IN_QUOTES = re.compile("[\x85\u2028\u2029\ufeff]")


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if _ESCAPE_IN_QUOTES.search(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)


def dump_claims(doc: dict) -> str:
    """A claims document as YAML text, in the field order of the shipped files.

    Every value is YAML data; text with Unicode line or paragraph separators is written in
    double quotes (escaped), so :func:`load_claims` reads back exactly what was dumped.
    """
    return yaml.dump(
        doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
        default_flow_style=False,
    )


def check_reads_back(doc: dict, *, label: str):
    """A ``verify`` for :func:`geo._io.atomic_write`: the written file must parse as YAML and
    hold exactly ``doc``; otherwise :class:`~geo.ClaimsFileError` and nothing is replaced."""

    def verify(tmp: Path) -> None:
        try:
            back = load_yaml(tmp.read_text(encoding="utf-8"), libyaml_messages=True)
        except yaml.YAMLError as err:
            msg = (f"{label}: not saved: the written text would not load ({yaml_error_text(err)}); "
                   "nothing was changed")
            raise ClaimsFileError(msg) from err
        if back != doc:
            msg = (f"{label}: not saved: the written text does not read back as the same claims; "
                   "nothing was changed")
            raise ClaimsFileError(msg)

    return verify


#: The comment at the top of every saved claims file. Fixed text only: a value placed in a
#: comment (a publication with a line break) could end the comment and break the file.
HEADER = ("# Claims recorded from one article; saved by Corridor Explorer.\n"
          "# Quotes are verbatim; summaries neutral; checks are computed from the geodata at "
          "run time.\n")


def save_claims(doc: dict, *, data_dir: Path | str | None = None, overwrite: bool = False) -> Path:
    """Validate a claims document, then write ``claims/<article id>.yaml`` atomically.

    Parameters
    ----------
    doc
        ``{"article": {...}, "claims": [...]}``, e.g. from :func:`geo.draft_claims`, edited.
        Line breaks in one-line fields (publication, title, summary ... ; U+2028 and the
        other Unicode line breaks too) are replaced by a space.
    data_dir
        Data folder (default ``settings.data_dir``); ``claims/`` is created if missing.
    overwrite
        Replace an existing file of the same name. Without it an existing file is never
        touched, whether it belongs to this article or to another one with the same id.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ClaimsFileError
        The document is invalid (every problem listed by claim and field), the file exists
        and ``overwrite`` is false, or the written text would not read back as the document.
        Existing files are unchanged in every case.
    """
    doc = one_line_fields(doc)
    folder = claims_dir(data_dir)
    art = doc.get("article") if isinstance(doc, dict) else None
    aid = art.get("id") if isinstance(art, dict) else None
    label = (
        str(folder / f"{aid}.yaml")
        if isinstance(aid, str) and ID_PATTERN.fullmatch(aid)
        else str(folder)
    )
    raise_problems(validate_claims(doc, data_dir=data_dir, source=label))
    for message in assertion_warnings(doc, label):
        warnings.warn(message, ClaimCheckWarning, stacklevel=2)
    path = folder / f"{aid}.yaml"
    if path.exists() and not overwrite:
        raise _exists_error(path, art)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        # Exclusive unless overwriting: another session may create the file after the check
        # above, and its save must not be silently replaced by this one.
        return atomic_write_text(path, HEADER + dump_claims(doc),
                                 verify=check_reads_back(doc, label=str(path)),
                                 exclusive=not overwrite)
    except FileExistsError:
        raise _exists_error(path, art) from None


def _exists_error(path: Path, art: dict) -> ClaimsFileError:
    """The error of a save that would replace ``path`` without ``overwrite``."""
    same = _same_article(path, art)
    whose = "this article's earlier version" if same else "another article's claims"
    msg = (
        f"{path}: file exists and holds {whose}; it was left unchanged. "
        "Choose another article id, or pass overwrite=True (--overwrite) to replace it."
    )
    return ClaimsFileError(msg)


def _same_article(path: Path, art: dict) -> bool:
    old, problems = _read(path)
    if problems or not isinstance(old, dict) or not isinstance(old.get("article"), dict):
        return False
    keys = ("publication", "title", "url", "date")
    return all(old["article"].get(k) == art.get(k) for k in keys)


def quote_problems(
    doc: dict, text: str, *, source: str = "<claims document>"
) -> list[Problem]:
    """Claims whose quote is not found verbatim in the article ``text``.

    Whitespace runs are treated as one space; nothing else is normalised (quotation marks
    and apostrophes must match the article's).
    """
    flat = " ".join(text.split())
    problems = new_problems(source)
    for claim in doc.get("claims") or []:
        quote = " ".join(str(claim.get("quote") or "").split())
        if quote and quote not in flat:
            problems.add(str(claim.get("id")), "quote", quote,
                         "not found verbatim in the article text")
    return problems.items


# ---------------------------------------------------------------------------------------------
# Article text (input of geo.draft_claims)


def check_article_length(text: str, *, source: str = "the article text") -> None:
    """:class:`~geo.ClaimsFileError` when ``text`` is longer than ``settings.max_article_chars``
    (the longest article drafted, so that one draft cannot hold the app's server)."""
    limit = settings.max_article_chars
    if len(text) > limit:
        msg = (f"{source}: {len(text):,} characters is more than the {limit:,} an article may "
               "have (settings.max_article_chars); split it, or draft claims from the part "
               "that matters")
        raise ClaimsFileError(msg)


def check_article_text(text: str, *, source: str = "the article text") -> str:
    """``text`` when it is at most ``settings.max_article_chars`` characters and holds a word;
    otherwise :class:`~geo.ClaimsFileError` saying how long it is and what the limit is, or
    that it holds no word (blank, or only punctuation such as a page of full stops)."""
    check_article_length(text, source=source)
    if not text.strip():
        msg = f"{source}: is empty; give the text of the article"
        raise ClaimsFileError(msg)
    if not any(ch.isalpha() for ch in text):
        msg = (f"{source}: holds no word ({len(text):,} characters, none a letter); give the "
               "text of the article")
        raise ClaimsFileError(msg)
    return text


def read_article(path: Path | str) -> str:
    """The UTF-8 text of an article file, checked by :func:`check_article_text`.

    A file far over the limit is refused before it is read (a UTF-8 character is at most 4
    bytes); text in another encoding gets the byte offset of the first undecodable byte. OS
    errors (not found, a folder, no permission) propagate with the file name.
    """
    path = Path(path)
    size = path.stat().st_size
    if path.is_file() and size > 4 * settings.max_article_chars:
        msg = (f"{path}: {size:,} bytes is more than an article may have "
               f"({settings.max_article_chars:,} characters, settings.max_article_chars); split "
               "it, or draft claims from the part that matters")
        raise ClaimsFileError(msg)
    try:  # a FIFO or a device is refused, never read (it could block or never end)
        data = guarded_read(path, "article")
    except UnreadableFile as err:
        raise ClaimsFileError(f"{path}: {err}") from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        msg = f"{path}: {encoding_message(data, err)}"
        raise ClaimsFileError(msg) from err
    return check_article_text(text, source=str(path))
