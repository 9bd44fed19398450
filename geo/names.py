"""Place names: one folding of text for matching, one reading of alternate names, and lookup.

:func:`fold` removes case and accents and maps the Azerbaijani and Turkish letters to plain
Latin (``Zəngəzur`` -> ``zangazur``, ``İĞDIR`` -> ``igdir``); other scripts stay as they are,
so the mention finder can match Cyrillic, Armenian or Persian text in its own script.
:func:`normalize_name` goes further for one-line lookups: it transliterates Cyrillic,
Armenian and Georgian to Latin, drops apostrophes and turns punctuation into single spaces
(``Джульфа`` -> ``dzhulfa``, ``Bandar-e  Anzali`` -> ``bandar e anzali``).

:func:`resolve_place` finds a place id from any of its names; :func:`place_matches` lists
every place a name matches, and :func:`close_forms` the names closest to a misspelt one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import geopandas as gpd

from ._errors import UnknownPlaceError
from .data import load_places
from .files import data_path, file_stamp

_SPECIAL = str.maketrans(
    {"ə": "a", "Ə": "a", "ı": "i", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "ð": "d",
     "’": "'", "ʼ": "'"}
)
_DROP = re.compile(r"[\u2019\u02bc'`\u02bb\u00b4]")
_SPACE = re.compile(r"[\s\-_.,;:/()]+")
_ALT_SEPARATORS = re.compile(r"[|;]")
_TRANSLIT = {
    # Russian and Azerbaijani Cyrillic
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a",
    "ғ": "gh", "ҹ": "j", "һ": "h", "ө": "o", "ү": "u", "ј": "y", "ҝ": "g", "і": "i",
    # Armenian
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y", "թ": "t",
    "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h", "ձ": "dz",
    "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n", "շ": "sh", "ո": "o", "չ": "ch",
    "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r", "ց": "ts",
    "ւ": "v", "փ": "p", "ք": "k", "և": "ev", "օ": "o", "ֆ": "f",
    # Georgian
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i",
    "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s",
    "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch",
    "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh", "ჯ": "j", "ჰ": "h",
    # Arabic-script letters written two ways in Persian text
    "ي": "ی", "ك": "ک", "ى": "ی",
}


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case text without accents: ``"Zəngəzur" -> "zangazur"``, ``"İğdır" -> "igdir"``."""
    return _strip_accents(str(text).translate(_SPECIAL).casefold())


def normalize_name(text: str) -> str:
    """Case-, diacritic- and script-folded form of a place name, for one-line lookups.

    As :func:`fold`, with Cyrillic, Armenian and Georgian transliterated to Latin first
    (``Джульфа`` -> ``dzhulfa``, ``Մեղրի`` -> ``meghri``); apostrophes are dropped and
    punctuation becomes one space.
    """
    text = _DROP.sub("", str(text).translate(_SPECIAL).casefold())
    text = "".join(_TRANSLIT.get(ch, ch) for ch in text)
    return _SPACE.sub(" ", _strip_accents(text)).strip()


def short_name(name: object) -> str:
    """A name without its parenthesised detail: ``"Jolfa (Iran)"`` -> ``"Jolfa"``."""
    short = str(name).split(" (")[0].strip()
    return short or str(name)


def split_alt_names(value: object) -> list[str]:
    """The alternate names of a places.csv ``alt_names`` cell (separated by ``|`` or ``;``)."""
    return [p.strip() for p in _ALT_SEPARATORS.split(str(value or "")) if p.strip()]


def place_name_forms(places: gpd.GeoDataFrame, pid: str) -> list[str]:
    """Every non-English name of a place: its ``name_<lang>`` columns, then its alternate names."""
    row = places.loc[pid]
    cols = [c for c in places.columns if c.startswith("name_") and c != "name_en"]
    return [str(row[c]) for c in cols if str(row[c]).strip()] + split_alt_names(row.get("alt_names"))


# ---------------------------------------------------------------------------------------------
# Place lookup


def _name_index(places: gpd.GeoDataFrame) -> tuple[dict, dict, dict]:
    """Three lookups from normalized name to place ids: ids, English names, every other form."""
    ids: dict = {}
    english: dict = {}
    other: dict = {}
    for pid in places.index:
        ids.setdefault(normalize_name(pid), set()).add(pid)
        english.setdefault(normalize_name(places.at[pid, "name_en"]), set()).add(pid)
        for form in place_name_forms(places, pid):
            key = normalize_name(form)
            if key:
                other.setdefault(key, set()).add(pid)
    return ids, english, other


@lru_cache(maxsize=8)
def _name_index_cached(stamp: tuple) -> tuple[dict, dict, dict]:
    return _name_index(load_places(Path(stamp[0]).parent))


def place_matches(name: str, data_dir: Path | str | None = None) -> list[str]:
    """The place ids ``name`` matches, sorted: an exact id, else the English names it matches,
    else every other form it matches (see :func:`resolve_place`); empty when nothing matches."""
    places = load_places(data_dir)
    if name in places.index:
        return [name]
    key = normalize_name(name)
    for tier in _name_index_cached(file_stamp(data_path("places.csv", data_dir))):
        if key in tier:
            return sorted(tier[key])
    return []


def resolve_place(name: str, data_dir: Path | str | None = None) -> str:
    """The place id for ``name``: an id, or any language form, alternative name or transliteration.

    Matching ignores case, diacritics and script (see :func:`normalize_name`). An exact id wins,
    then English names, then every other form.

    Raises
    ------
    UnknownPlaceError
        Nothing matches (the message suggests the closest names), or a name matches several
        places (the message lists them with their ids).
    """
    found = place_matches(name, data_dir)
    if len(found) == 1:
        return found[0]
    places = load_places(data_dir)
    if found:
        listing = ", ".join(f"{pid} ({places.at[pid, 'name_en']}, {places.at[pid, 'country']})"
                            for pid in found)
        msg = f"place name {name!r} matches several places: {listing}; give the id instead"
        raise UnknownPlaceError(msg)
    path = data_path("places.csv", data_dir)
    suggestions = _suggest(normalize_name(name), _name_index_cached(file_stamp(path)), places)
    hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
    msg = f"unknown place {name!r} in {path}{hint} (`corridors places` lists every place)"
    raise UnknownPlaceError(msg)


def close_forms(key: str, forms: list[str], *, n: int = 10) -> list[str]:
    """The forms of ``forms`` (normalized names) nearest to ``key``, best first, possibly
    repeated: every form containing it or contained in it, then up to ``n`` closest spellings
    (``difflib``, similarity 0.6 or more)."""
    if not key:
        return []
    ranked = [f for f in forms if key in f or f in key]
    return ranked + difflib.get_close_matches(key, forms, n=n, cutoff=0.6)


def _suggest(key: str, tiers, places, n: int = 5) -> list[str]:
    forms: dict = {}
    for tier in tiers:
        for form, pids in tier.items():
            forms.setdefault(form, set()).update(pids)
    out: list[str] = []
    for form in close_forms(key, list(forms), n=2 * n):
        for pid in sorted(forms[form]):
            label = f"{pid} ({places.at[pid, 'name_en']})"
            if label not in out:
                out.append(label)
    return out[:n]
