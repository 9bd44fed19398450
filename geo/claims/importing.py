"""An article from a web page: its text and details, for drafting claims.

:func:`article_from_html` reads a saved page (or one just fetched) with trafilatura, a
maintained article-extraction library: the main text without menus and footers, and the
title, author, date, outlet and language the page declares. :func:`fetch_article` fetches a
page first, only when asked and within a deadline; offline it fails with a message that says
how to go on (save the page and draft from the file). Nothing here runs unless a person asks
for a page to be read.

trafilatura is an optional dependency (the ``import`` extra, installed by ``make``): without
it both functions say how to install it.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request

from .._errors import ClaimsFileError
from .text import header_date

FETCH_DEADLINE_S = 20.0
#: The most a page may weigh; a bigger one is refused, not read to the end.
MAX_PAGE_BYTES = 5_000_000
#: Less text than this is no article (what is left of a menu, a cookie notice, a login page).
MIN_ARTICLE_CHARS = 80
OFFLINE_ADVICE = ("If this computer is offline or the site cannot be reached, save the page "
                  "in a browser (as HTML, or copy its text to a .txt file) and draft from the "
                  "file: corridors claims draft page.html")


def _extractor():
    try:
        import trafilatura
    except ImportError as err:
        msg = ("reading a web page needs trafilatura: install it with "
               "pip install 'corridor-explorer[import]' (make does), or paste the article's "
               "text instead")
        raise ClaimsFileError(msg) from err
    return trafilatura


def article_from_html(html: str | bytes, *, url: str | None = None,
                      source: str = "the page") -> dict:
    """The article in a web page: ``text``, ``title``, ``author``, ``date`` (ISO, when the
    page gives one), ``publication``, ``url`` and ``language`` (None where not given).

    Raises :class:`~geo.ClaimsFileError` naming ``source`` when the page holds no article
    text (a menu, a login wall, an empty page).
    """
    trafilatura = _extractor()
    if len(html) > MAX_PAGE_BYTES:
        msg = f"{source}: more than {MAX_PAGE_BYTES:,} bytes, more than an article page weighs"
        raise ClaimsFileError(msg)
    found = trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                        include_comments=False, include_tables=False)
    doc = found.as_dict() if hasattr(found, "as_dict") else (found or {})
    text = str(doc.get("text") or "").strip()
    if len(text) < MIN_ARTICLE_CHARS:
        msg = (f"{source}: no article text found in the page (a menu, a login page or an "
               "empty page?); copy the article's text and paste it instead")
        raise ClaimsFileError(msg)
    day = doc.get("date")
    return {"text": text, "title": doc.get("title") or None,
            "author": doc.get("author") or None,
            "date": header_date(str(day)) if day else None,
            "publication": doc.get("sitename") or None,
            "url": url or doc.get("url") or None, "language": doc.get("language") or None}


def fetch_article(url: str, *, deadline_s: float = FETCH_DEADLINE_S) -> dict:
    """Fetch ``url`` (http or https) within ``deadline_s`` seconds and read its article
    (:func:`article_from_html`). Any failure to fetch is a :class:`~geo.ClaimsFileError`
    that names the address and says how to go on offline."""
    if not url.startswith(("http://", "https://")):
        msg = f"{url}: not a web address (it must start with http:// or https://)"
        raise ClaimsFileError(msg)
    _extractor()  # say what is missing before going online
    end = time.monotonic() + deadline_s
    request = urllib.request.Request(url, headers={"User-Agent": "corridor-explorer"})
    try:
        with urllib.request.urlopen(request, timeout=deadline_s) as response:  # noqa: S310
            chunks, size = [], 0
            while True:
                if time.monotonic() > end:
                    msg = f"{url}: the page took longer than {deadline_s:.0f} s to arrive"
                    raise ClaimsFileError(f"{msg}. {OFFLINE_ADVICE}")
                chunk = response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_PAGE_BYTES:
                    msg = f"{url}: more than {MAX_PAGE_BYTES:,} bytes, more than an article"
                    raise ClaimsFileError(msg)
                chunks.append(chunk)
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", None) or err
        msg = f"{url}: the page could not be fetched ({reason}). {OFFLINE_ADVICE}"
        raise ClaimsFileError(msg) from err
    return article_from_html(b"".join(chunks), url=url, source=url)
