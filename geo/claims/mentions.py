"""Find the places, routes and countries a text mentions.

Names come from the data, in every form it gives: places' ``name_en`` and ``name_<lang>``
columns and ``alt_names``, routes' ``name`` and ``names``, countries' names in the borders
file, plus the country forms and adjectives in :data:`COUNTRY_FORMS`. Matching is done on
folded text (case, accents and Azerbaijani/Turkish letters removed: Naxçıvan -> naxcivan) and,
for names of six letters or more, on a consonant skeleton that absorbs the usual
transliteration variants (Zangezur / Zangazur / Zəngəzur, Nakhchivan / Nakhichevan).

A name shared by several places (Astara in Azerbaijan and in Iran) is decided by a country
named just before or after it ("Astara in Iran", "the Azerbaijani side"); otherwise every
candidate is reported. A route is found by name, by a dash-joined chain of its places
("Kars–Iğdır–Nakhchivan railway"), or, failing those, when a paragraph names three or more of
its stops and fits it best (stops, mode words and the route's own words such as "Aras").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import settings
from ..data import load_borders, load_places, load_routes, load_segments
from ..files import stamp_if_present
from ..names import fold, split_alt_names

# Country forms beyond the names in the borders file: English adjectives, and the forms in
# the region's languages. Lexical data, not geometry.
COUNTRY_FORMS: dict[str, tuple[str, ...]] = {
    "AZE": (
        "Azerbaijan",
        "Azerbaijani",
        "Azeri",
        "Azərbaycan",
        "Азербайджан",
        "Ադրբեջան",
        "آذربایجان",
    ),
    "ARM": ("Armenia", "Armenian", "Ermənistan", "Армения", "Հայաստան", "ارمنستان"),
    "IRN": (
        "Iran",
        "Iranian",
        "Islamic Republic of Iran",
        "İran",
        "Иран",
        "Իրան",
        "ایران",
        "Persia",
    ),
    "GEO": ("Georgia", "Georgian", "Gürcüstan", "Грузия", "საქართველო"),
    "TUR": ("Turkey", "Türkiye", "Turkish", "Türkiyə", "Турция", "Թուրքիա", "ترکیه"),
    "RUS": ("Russia", "Russian", "Russian Federation", "Rusiya", "Россия", "Ռուսաստան", "روسیه"),
    "KAZ": ("Kazakhstan", "Kazakh", "Qazaxıstan", "Казахстан"),
    "TKM": ("Turkmenistan", "Turkmen", "Türkmənistan", "Туркменистан"),
    "IND": ("India", "Indian", "Hindistan", "Индия"),
    "ISR": ("Israel", "Israeli", "İsrail", "Израиль"),
    "EGY": ("Egypt", "Egyptian", "Misir", "Египет"),
    "AZE-NX": (
        "Nakhchivan Autonomous Republic",
        "Naxçıvan Muxtar Respublikası",
        "Nakhchivan exclave",
    ),
}

MODE_WORDS: dict[str, frozenset] = {
    "rail": frozenset(
        {"rail", "railway", "railways", "railroad", "train", "trains", "demiryolu", "railline"}
    ),
    "road": frozenset(
        {"road", "roads", "truck", "trucks", "lorry", "lorries", "highway", "motorway", "driving"}
    ),
    "sea": frozenset({"ship", "ships", "shipping", "ferry", "ferries", "vessel", "vessels", "sea"}),
}
MODE_WORDS["ferry"] = MODE_WORDS["sea"]
# Words that make a name generic (dropped when deriving short forms of route names).
FILLERS = frozenset(
    {"international", "transport", "beynalxalq", "naqliyyat", "международныи", "транспортныи"}
)
GENERIC = frozenset(
    {
        "corridor",
        "rail",
        "railway",
        "road",
        "route",
        "branch",
        "line",
        "link",
        "western",
        "eastern",
        "trans",
        "caspian",
        "the",
        "and",
        "of",
        "via",
        "to",
        "north",
        "south",
        "sea",
        "all",
        "dahlizi",
        "koridor",
        "коридор",
        "yolu",
        "damir",
        "mtk",
        "sever",
        "iug",
        "маршрут",
        "international",
        "transport",
        "corridors",
        "for",
        "peace",
        "prosperity",
        "crossroads",
        "railroad",
    }
)
SYNONYMS = {
    "railway": "rail",
    "railroad": "rail",
    "railways": "rail",
    "demiryolu": "rail",
    "dahlizi": "corridor",
    "коридор": "corridor",
    "koridor": "corridor",
}
DASHES = "-–—‐‑"
_DIGRAPHS = (
    ("x", "kh"),
    ("dzh", "j"),
    ("dj", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("ch", "c"),
    ("sh", "s"),
    ("zh", "z"),
    ("ph", "f"),
    ("th", "t"),
    ("q", "k"),
    ("w", "v"),
)
_WORD = re.compile(r"\w+")


_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")


def skeleton(word: str) -> str:
    """First letter plus the consonants of a folded Latin word, after merging digraphs."""
    for old, new in _DIGRAPHS:
        word = word.replace(old, new)
    if not word:
        return ""
    rest = _VOWELS.sub("", word[1:])
    return word[0] + _REPEATS.sub(r"\1", rest)


@dataclass(frozen=True)
class Token:
    norm: str
    skel: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Word tokens of ``text`` with their spans; forms folded and mode words unified."""
    out = []
    for m in _WORD.finditer(text):
        norm, skel = _forms(m.group())
        out.append(Token(norm, skel, m.start(), m.end()))
    return out


@lru_cache(maxsize=65_536)
def _forms(word: str) -> tuple[str, str]:
    """A word's folded form and skeleton. Cached: an article repeats its words, and folding
    is most of the time spent on a long text."""
    norm = fold(word)
    norm = SYNONYMS.get(norm, norm)
    return norm, skeleton(norm) if norm.isascii() else norm


def _fuzzy_ok(a: Token, b: Token) -> bool:
    return (
        len(a.norm) >= 6
        and len(b.norm) >= 6
        and a.norm.isascii()
        and b.norm.isascii()
        and a.skel == b.skel
        and len(a.skel) >= 4
        and abs(len(a.norm) - len(b.norm)) <= 2
    )


# ---------------------------------------------------------------------------------------------
# Gazetteer


@dataclass
class _Alias:
    words: tuple[Token, ...]
    kind: str  # "place" | "route" | "country"
    ids: tuple[str, ...]
    rank: int  # higher wins when the same words name several things


@dataclass
class Gazetteer:
    aliases: list[_Alias]
    by_first: dict
    by_skel: dict
    place_country: dict
    route_stops: dict
    route_mode: dict
    route_words: dict
    route_chains: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)  # id -> English name (places, routes, countries)


def _core_names(name: str) -> list[str]:
    """A name and its shorter forms: before ':' and without a parenthesis; acronyms inside."""
    out = [name]
    head = name.split(":")[0].strip()
    out.append(head)
    for part in (name, head):
        bare = re.sub(r"\s*\([^)]*\)", "", part).strip(" ,")
        for variant in (bare, bare.split(",")[0].strip()):
            out.append(variant)
            out.append(" ".join(w for w in variant.split() if fold(w) not in FILLERS))
        out.extend(m.strip() for m in re.findall(r"\(([^)]*)\)", part) if m.strip().isupper())
    return [o for o in dict.fromkeys(out) if o]


def _add(aliases: list, text: str, kind: str, ids, rank: int) -> None:
    words = tuple(tokens(text))
    if words:
        aliases.append(_Alias(words, kind, tuple(ids), rank))


def gazetteer(data_dir: Path | str | None) -> Gazetteer:
    folder = Path(data_dir or settings.data_dir)
    stamps = tuple(
        stamp_if_present(folder / n)
        for n in ("borders.geojson", "places.csv", "segments.geojson", "routes.yaml")
    )
    return _build_gazetteer(str(folder), stamps)


@lru_cache(maxsize=4)
def _build_gazetteer(folder: str, stamps: tuple) -> Gazetteer:
    data_dir = Path(folder)
    aliases: list[_Alias] = []
    borders = load_borders(data_dir) if stamps[0] else None
    if borders is not None:
        for code, row in borders.iterrows():
            for name in {row.get("name"), row.get("name_long")} - {None}:
                _add(aliases, str(name), "country", [code], 3)
    for code, forms in COUNTRY_FORMS.items():
        if borders is None or code.split("-")[0] in borders.index:
            for form in forms:
                _add(aliases, form, "country", [code], 3)
    place_country: dict = {}
    places = load_places(data_dir) if stamps[1] and stamps[0] else None
    if places is not None:
        for pid, row in places.iterrows():
            place_country[pid] = row["country"]
            crossing = row["kind"] == "border_crossing"
            for name in _core_names(str(row["name_en"])):
                _add(aliases, name, "place", [pid], 3 - 2 * crossing)
            for col in [c for c in places.columns if c.startswith("name_") and c != "name_en"]:
                if str(row[col]).strip():
                    _add(aliases, str(row[col]), "place", [pid], 2 - 2 * crossing)
            for alt in split_alt_names(row.get("alt_names")):
                _add(aliases, alt, "place", [pid], 1 - 2 * crossing)
    route_stops, route_mode, route_words, route_names = {}, {}, {}, {}
    if places is not None and all(stamps):
        routes, segments = load_routes(data_dir), load_segments(data_dir)
        for rid, row in routes.iterrows():
            segs = segments.loc[list(row["segments"])]
            route_stops[rid] = set(segs["from"]) | set(segs["to"])
            route_mode[rid] = segs["mode"].value_counts().idxmax()
            names = [str(row["name"])] + [str(n.get("name")) for n in row["names"] if n.get("name")]
            route_names[rid] = names
        shared: dict = {}
        for rid, names in route_names.items():
            for name in names:
                for core in _core_names(name):
                    shared.setdefault(tuple(t.norm for t in tokens(core)), []).append(rid)
        for key, rids in shared.items():
            _add(
                aliases, " ".join(key), "route", sorted(set(rids)), 3 if len(set(rids)) == 1 else 1
            )
    gaz = Gazetteer(aliases, {}, {}, place_country, route_stops, route_mode, route_words)
    if borders is not None:
        gaz.names.update({code: str(row["name"]) for code, row in borders.iterrows()})
    gaz.names["AZE-NX"] = "Nakhchivan"
    if places is not None:
        gaz.names.update({pid: str(name) for pid, name in places["name_en"].items()})
    gaz.names.update({rid: names[0] for rid, names in route_names.items()})
    for alias in aliases:
        first = alias.words[0]
        gaz.by_first.setdefault(first.norm, []).append(alias)
        if first.norm.isascii() and len(first.norm) >= 6:
            gaz.by_skel.setdefault(first.skel, []).append(alias)
    place_words = {t.norm for a in aliases if a.kind == "place" for t in a.words}
    for rid, names in route_names.items():
        words = {t.norm for n in names for t in tokens(n)}
        route_words[rid] = {
            w
            for w in words
            if len(w) >= 4 and w not in GENERIC and w not in place_words and w.isalpha()
        }
        gaz.route_chains[rid] = [[m.ids for m in _chain_places(n, gaz)] for n in names]
    return gaz


# ---------------------------------------------------------------------------------------------
# Matching


@dataclass
class _Match:
    start: int
    end: int
    kind: str
    ids: tuple[str, ...]
    rank: int
    first: int  # index of the first token
    last: int


def _match_at(toks: list[Token], i: int, alias: _Alias) -> bool:
    n = len(alias.words)
    if i + n > len(toks):
        return False
    for a, t in zip(alias.words, toks[i : i + n], strict=True):
        if a.norm != t.norm and not _fuzzy_ok(a, t):
            return False
    return True


def _raw_matches(toks: list[Token], gaz: Gazetteer, kinds: set) -> list[_Match]:
    found = []
    for i, tok in enumerate(toks):
        candidates = list(gaz.by_first.get(tok.norm, []))
        if tok.norm.isascii() and len(tok.norm) >= 6:
            candidates += gaz.by_skel.get(tok.skel, [])
        for alias in candidates:
            if alias.kind in kinds and _match_at(toks, i, alias):
                last = i + len(alias.words) - 1
                found.append(
                    _Match(tok.start, toks[last].end, alias.kind, alias.ids, alias.rank, i, last)
                )
    return found


def _select(found: list[_Match]) -> list[_Match]:
    """Per kind, keep the longest match at each place in the text; merge equal spans by rank."""
    out = []
    for kind in ("place", "route", "country"):
        items = sorted(
            (m for m in found if m.kind == kind),
            key=lambda m: (m.start, -(m.end - m.start), -m.rank),
        )
        taken_until = -1
        merged: dict = {}
        for m in items:
            key = (m.start, m.end)
            if key in merged:
                best = merged[key]
                if m.rank > best.rank:
                    merged[key] = _Match(m.start, m.end, kind, m.ids, m.rank, m.first, m.last)
                elif m.rank == best.rank:
                    best.ids = tuple(dict.fromkeys(best.ids + m.ids))
                continue
            if m.start < taken_until:
                continue
            merged[key] = _Match(m.start, m.end, kind, m.ids, m.rank, m.first, m.last)
            taken_until = m.end
        out.extend(merged.values())
    return sorted(out, key=lambda m: (m.start, m.kind))


def _chain_places(text: str, gaz: Gazetteer) -> list[_Match]:
    toks = tokens(text)
    return [m for m in _select(_raw_matches(toks, gaz, {"place"})) if m.kind == "place"]


def _countries_near(
    text: str, m: _Match, countries: list[_Match], window: int = 40, index: tuple | None = None
) -> list[str]:
    """Country codes named within ``window`` characters after (first) or before the match.

    ``index`` is :func:`_by_position` of ``countries``: with it only the few countries near
    the match are looked at (found by bisection), so resolving every place of a long list of
    names stays linear instead of pairing each place with each country.
    """
    starts, ends = index if index is not None else _by_position(countries)
    if ends is None:  # not in order of position: look at them all
        near_after = countries
        near_before = countries
    else:
        near_after = countries[bisect_left(starts, m.end): bisect_right(starts, m.end + window)]
        near_before = countries[bisect_left(ends, m.start - window): bisect_right(ends, m.start)]
    after = [c for c in near_after if 0 <= c.start - m.end <= window]
    if after:
        return list(after[0].ids)
    before = [c for c in near_before if 0 <= m.start - c.end <= window]
    return list(before[-1].ids) if before else []


def _by_position(matches: list[_Match]) -> tuple[list, list | None]:
    """Starts and ends of ``matches`` for bisection; ends None unless both are in order (as
    for the matches of one kind :func:`_select` keeps, which do not overlap)."""
    starts = [c.start for c in matches]
    ends = [c.end for c in matches]
    ordered = all(a <= b for a, b in zip(starts, starts[1:], strict=False)) and all(
        a <= b for a, b in zip(ends, ends[1:], strict=False))
    return starts, ends if ordered else None


def _resolve_places(
    text: str, places: list[_Match], countries: list[_Match], gaz: Gazetteer
) -> None:
    index = _by_position(countries)
    for m in places:
        if len(m.ids) < 2:
            continue
        near = _countries_near(text, m, countries, index=index)
        chosen = [
            pid for pid in m.ids if gaz.place_country.get(pid) in {c.split("-")[0] for c in near}
        ]
        if chosen:
            m.ids = tuple(chosen)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _chains(text: str, places: list[_Match]) -> list[list[_Match]]:
    """Runs of place mentions joined by dashes ("Kars–Iğdır–Nakhchivan")."""
    runs, run = [], []
    for m in places:
        if (
            run
            and text[run[-1].end : m.start].strip() in tuple(DASHES)
            and m.start - run[-1].end <= 3
        ):
            run.append(m)
        else:
            if len(run) >= 2:
                runs.append(run)
            run = [m]
    if len(run) >= 2:
        runs.append(run)
    return runs


def _chain_fits(chain: list[tuple], route_chain: list[tuple]) -> bool:
    n = len(chain)
    for seq in (route_chain, route_chain[::-1]):
        for i in range(len(seq) - n + 1):
            if all(set(a) & set(b) for a, b in zip(chain, seq[i : i + n], strict=True)):
                return True
    return False


def _route_matches(text, toks, places, routes, gaz) -> list[_Match]:
    out = list(routes)
    for run in _chains(text, places):
        after = toks[run[-1].last + 1 : run[-1].last + 3]
        has_mode = any(
            t.norm in MODE_WORDS["rail"] | MODE_WORDS["road"] | {"corridor"} for t in after
        )
        if len(run) < 3 and not has_mode:
            continue
        ids = tuple(
            rid
            for rid, chains in gaz.route_chains.items()
            if any(_chain_fits([m.ids for m in run], c) for c in chains)
        )
        if ids:
            out.append(
                _Match(run[0].start, run[-1].end, "route", ids, 2, run[0].first, run[-1].last)
            )
    return out


def _resolve_routes(text, toks, places, routes, gaz) -> list[_Match]:
    """Decide ambiguous route names per paragraph and infer routes a paragraph describes.

    Each paragraph's places, words and routes are found by bisection in lists in order of
    position, not by a pass over the whole text per paragraph (quadratic in a text of many
    short paragraphs).
    """
    places = sorted(places, key=lambda m: m.start)
    known = sorted(routes, key=lambda m: m.start)  # the routes named: later ones are inferred
    pstarts = [m.start for m in places]
    tstarts = [t.start for t in toks]
    rstarts = [m.start for m in known]
    for a, b in _paragraphs(text):
        in_para = places[bisect_left(pstarts, a): bisect_left(pstarts, b)]
        para_toks = toks[bisect_left(tstarts, a): bisect_left(tstarts, b)]
        para_routes = known[bisect_left(rstarts, a): bisect_left(rstarts, b)]
        here = {pid for m in in_para for pid in m.ids}
        words = {t.norm for t in para_toks}

        def score(rid, here=here, words=words):
            stops = len(gaz.route_stops.get(rid, set()) & here)
            mode = bool(MODE_WORDS.get(gaz.route_mode.get(rid), frozenset()) & words)
            own = bool(gaz.route_words.get(rid, set()) & words)
            return stops, stops + mode + own

        for m in para_routes:
            if len(m.ids) > 1:
                scores = {rid: score(rid)[1] for rid in m.ids}
                top = max(scores.values())
                m.ids = tuple(r for r in m.ids if scores[r] == top)
        named = {rid for m in para_routes for rid in m.ids}
        if len(here) < 3:  # no route can have three stops here
            continue
        scored = {rid: score(rid) for rid in gaz.route_stops}
        eligible = {rid: s for rid, (stops, s) in scored.items() if stops >= 3}
        if not eligible:
            continue
        top = max(eligible.values())
        for rid, s in eligible.items():
            if s == top and rid not in named:
                hint = [
                    t
                    for t in para_toks
                    if (
                        t.norm in gaz.route_words.get(rid, set())
                        or t.norm in MODE_WORDS.get(gaz.route_mode.get(rid), frozenset())
                    )
                ]
                span = (hint[0].start, hint[0].end) if hint else (a, b)
                routes.append(_Match(span[0], span[1], "route", (rid,), 0, -1, -1))
    return routes


def _mentions(text: str, gaz: Gazetteer) -> list[_Match]:
    toks = tokens(text)
    chosen = _select(_raw_matches(toks, gaz, {"place", "route", "country"}))
    places = [m for m in chosen if m.kind == "place"]
    countries = [m for m in chosen if m.kind == "country"]
    routes = [m for m in chosen if m.kind == "route"]
    _resolve_places(text, places, countries, gaz)
    routes = _route_matches(text, toks, places, routes, gaz)
    routes = _resolve_routes(text, toks, places, routes, gaz)
    return sorted(places + countries + routes, key=lambda m: (m.start, m.kind))


def find_mentions(text: str, data_dir: Path | str | None = None) -> dict:
    """The places, routes and countries that ``text`` mentions, in order of first mention.

    Parameters
    ----------
    text
        Article text in any language the data's names cover.
    data_dir
        Data folder whose names are searched (default ``settings.data_dir``).

    Returns
    -------
    dict
        ``places`` (place ids), ``routes`` (route ids), ``countries`` (ISO3 codes, or
        ``"AZE-NX"``) and ``spans``: ``(start, end, kind, id)`` tuples, ``kind`` one of
        ``{"place", "route", "country"}``; a name left ambiguous gives one span per candidate.
    """
    found = _mentions(text, gazetteer(data_dir))
    out: dict = {"places": [], "routes": [], "countries": [], "spans": []}
    key = {"place": "places", "route": "routes", "country": "countries"}
    for m in found:
        for ident in m.ids:
            if ident not in out[key[m.kind]]:
                out[key[m.kind]].append(ident)
            out["spans"].append((m.start, m.end, m.kind, ident))
    return out
