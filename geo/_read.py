"""One guarded reader for every file Corridor Explorer reads (data, claims, scenarios, articles).

A hostile or broken file must end in a message naming the file, never in a hang, a crash or
memory running out. So every read goes through :func:`read_bytes`, which:

* opens without blocking (``O_NONBLOCK``), so a FIFO in place of a data file cannot hang;
* refuses anything that is not a regular file (a FIFO, a device such as a symlink to
  ``/dev/zero`` or ``/dev/urandom``, a socket), judged by ``fstat`` on the opened descriptor
  (not on the name, which could change between a check and the open);
* refuses a file larger than the limit of its kind and never reads more than limit + 1 bytes
  (a file growing while it is read is refused too).

Size limits (:data:`LIMITS`), each far above the largest shipped file of its kind:

===============  ========  ==============================================================
kind             limit     files
===============  ========  ==============================================================
``yaml``         5 MB      routes.yaml, references.yaml, observations.yaml, traced.yaml
``claims``       2 MB      claims/*.yaml
``scenario``     1 MB      scenarios/*.yaml, a scenario edited in the app
``assumptions``  1 MB      assumptions.yaml and assumption scenario files
``geojson``      200 MB    segments, borders, basemap, water and other GeoJSON files
``json``         200 MB    other JSON files
``csv``          20 MB     places.csv
``article``      2 MB      article text (.txt, .md) for drafting claims (by suffix)
===============  ========  ==============================================================

The largest shipped files are borders.geojson (2.1 MB), references.yaml (70 kB), places.csv
(42 kB), the claims file (38 kB) and assumptions.yaml (31 kB).

YAML is parsed by :func:`load_yaml`, whose loader refuses aliases (a "billion laughs" file of
a few kB expands to gigabytes, and nothing in the data needs them), duplicate keys (the later
value silently won before), more than :data:`MAX_YAML_NODES` values and nesting deeper than
:data:`MAX_DEPTH`; it leaves dates as text (``2025-02-30`` used to crash PyYAML's date
constructor) so the validators judge them. :func:`load_json` caps nesting and the digits of
an integer (Python refuses to convert more than 4,300 digits and raised a bare ValueError).
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path

import yaml

MB = 1_000_000

#: Largest size in bytes of a file of each kind (see the module docstring for the table).
LIMITS: dict[str, int] = {
    "yaml": 5 * MB,
    "claims": 2 * MB,
    "scenario": 1 * MB,
    "assumptions": 1 * MB,
    "geojson": 200 * MB,
    "json": 200 * MB,
    "csv": 20 * MB,
    "article": 2 * MB,
}

#: The kind of a file by its suffix, when the caller names none.
_SUFFIX_KINDS = {".yaml": "yaml", ".yml": "yaml", ".geojson": "geojson", ".json": "json",
                 ".csv": "csv", ".txt": "article", ".md": "article"}

#: Most values (scalars, lists and mappings) a YAML file may hold: the largest shipped file
#: (references.yaml) holds about 2,600; 200,000 take a few seconds to read, a 5 MB file of
#: tiny values would hold millions.
MAX_YAML_NODES = 200_000
#: Deepest nesting of lists and mappings in a YAML or JSON file; shipped files nest at most
#: 8 deep (multipolygon coordinates in a feature of a GeoJSON feature collection).
MAX_DEPTH = 64
#: Most digits of an integer in a JSON or YAML file (Python converts at most 4,300).
MAX_INT_DIGITS = 100

_CHUNK = 1 << 20


class UnreadableFile(ValueError):
    """A file was refused before or while it was read; the message says why (without the
    file name: the caller's message names the file)."""


def kind_of(path: Path | str, kind: str | None = None) -> str:
    """``kind`` when given, else the kind of ``path``: a YAML file in a ``claims`` or
    ``scenarios`` folder is a claims or scenario file; else by its suffix (``yaml`` when
    unknown)."""
    if kind is not None:
        return kind
    path = Path(path)
    found = _SUFFIX_KINDS.get(path.suffix.lower(), "yaml")
    if found == "yaml":
        found = {"claims": "claims", "scenarios": "scenario"}.get(path.parent.name, found)
    return found


def _describe(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO, a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device, such as /dev/zero or /dev/urandom"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _too_large(size: int, kind: str, limit: int) -> str:
    return (f"is {size:,} bytes, more than a {kind} file may have ({limit:,} bytes); it is "
            "not read (a file this large is not one the project writes: check that it is the "
            "right file)")


def check_regular(path: Path | str, kind: str | None = None) -> None:
    """Raise :class:`UnreadableFile` unless ``path`` is a regular file within its size limit.

    For readers that are handed a path (geopandas, pyogrio): they would block on a FIFO or
    read a device without end. A folder and a missing file raise the usual OS errors.
    """
    fd = _open(path)
    try:
        _checked_size(fd, path, kind_of(path, kind))
    finally:
        os.close(fd)


def _open(path: Path | str) -> int:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    return os.open(path, flags)


def _checked_size(fd: int, path: Path | str, kind: str) -> int:
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(info.st_mode):
        msg = (f"is not a regular file ({_describe(info.st_mode)}); it is not read: put the "
               "data file itself in its place")
        raise UnreadableFile(msg)
    limit = LIMITS[kind]
    if info.st_size > limit:
        raise UnreadableFile(_too_large(info.st_size, kind, limit))
    return limit


def read_bytes(path: Path | str, kind: str | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most the limit of its ``kind``.

    Raises :class:`UnreadableFile` for a FIFO, a device, a socket or a file over the limit
    (:data:`LIMITS`; ``kind`` defaults to the suffix's). OS errors (missing file, a folder,
    no permission) propagate with the file name.
    """
    kind = kind_of(path, kind)
    fd = _open(path)
    try:
        limit = _checked_size(fd, path, kind)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limit:  # grew while being read
        msg = (f"grew past {limit:,} bytes, more than a {kind} file may have, while it was "
               "read; it is not read")
        raise UnreadableFile(msg)
    return b"".join(chunks)


# ---------------------------------------------------------------------------------------------
# YAML


class YAMLRefused(yaml.YAMLError):
    """A YAML document the guarded loader refuses; ``problem_mark`` says where."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark
        self.context = None


_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _at(mark: yaml.Mark | None) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"


class _Guard:
    """Composer and constructor checks shared by the pure-Python and the libyaml loader.

    Composing is done by PyYAML's Python composer in both (on libyaml's events where that is
    present), so aliases, the node budget and the nesting depth are checked before a node is
    made; duplicate keys are checked as a mapping is constructed.
    """

    def _guard_init(self) -> None:
        self._nodes = 0
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YAMLRefused(f"uses an alias (*{event.anchor}); aliases and anchors are not "
                              "allowed in data files: write the value out", event.start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None) is not None:
            raise YAMLRefused(f"has an anchor (&{event.anchor}); aliases and anchors are not "
                              "allowed in data files: write the value out", event.start_mark)
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise YAMLRefused(f"holds more than {MAX_YAML_NODES:,} values; it is not read",
                              event.start_mark)
        nests = self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent)
        if nests:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise YAMLRefused(f"nests lists or mappings more than {MAX_DEPTH} deep; it is "
                                  "not read", event.start_mark)
        try:
            return yaml.composer.Composer.compose_node(self, parent, index)
        finally:
            if nests:
                self._depth -= 1

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # an unhashable key: the constructor names it
                    continue
                if first is not None:
                    raise YAMLRefused(f"key {key!r} appears twice in one mapping (first at "
                                      f"{_at(first)}); remove one", key_node.start_mark)
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        text = str(node.value)
        if sum(c.isdigit() for c in text) > MAX_INT_DIGITS:
            raise YAMLRefused(f"has an integer of more than {MAX_INT_DIGITS} digits",
                              node.start_mark)
        return super().construct_yaml_int(node)

    def construct_text_timestamp(self, node):
        """An explicit ``!!timestamp`` stays text too: the validators judge dates."""
        return str(node.value)


def _without_timestamps(resolvers: dict) -> dict:
    return {first: [(tag, rx) for tag, rx in items if tag != _TIMESTAMP]
            for first, items in resolvers.items()}


class GuardedLoader(_Guard, yaml.SafeLoader):
    """:class:`yaml.SafeLoader` with the checks of :class:`_Guard`; dates stay text."""

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._guard_init()


GuardedLoader.add_constructor("tag:yaml.org,2002:int", _Guard.construct_yaml_int)
GuardedLoader.add_constructor(_TIMESTAMP, _Guard.construct_text_timestamp)

try:
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    CParser = None

if CParser is not None:

    class GuardedCLoader(_Guard, yaml.composer.Composer, CParser,
                         yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml's parser (about 5x faster) under the Python composer, so every check of
        :class:`GuardedLoader` holds."""

        yaml_implicit_resolvers = GuardedLoader.yaml_implicit_resolvers

        def __init__(self, stream) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._guard_init()

    GuardedCLoader.add_constructor("tag:yaml.org,2002:int", _Guard.construct_yaml_int)
    GuardedCLoader.add_constructor(_TIMESTAMP, _Guard.construct_text_timestamp)
    LOADER: type = GuardedCLoader
else:  # pragma: no cover - PyYAML without libyaml
    LOADER = GuardedLoader


#: Longest text parsed again by the pure-Python parser for its message (it is ~10x slower).
_REPARSE_CHARS = 1 * MB


def load_yaml(text: str, *, libyaml_messages: bool = False) -> object:
    """The parsed YAML document ``text`` with the guarded loader.

    Raises :class:`yaml.YAMLError` (with ``problem_mark``) for bad or refused YAML; a value
    PyYAML cannot construct (a ValueError, too deep a structure) becomes one too. libyaml
    parses when present; on a syntax error the text is parsed again by the pure-Python
    parser, whose messages data files have always had, unless ``libyaml_messages`` (claims
    files, always read by libyaml) or the text is over 1 MB.
    """
    if LOADER is GuardedLoader or libyaml_messages or len(text) > _REPARSE_CHARS:
        return _load(LOADER, text)
    try:
        return _load(LOADER, text)
    except YAMLRefused:
        raise
    except yaml.YAMLError:
        pass
    return _load(GuardedLoader, text)


def _load(loader_class: type, text: str) -> object:
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError:
        raise
    except RecursionError as err:
        raise YAMLRefused("nests too deeply to be read", None) from err
    except (ValueError, TypeError, OverflowError) as err:
        raise YAMLRefused(f"has a value that cannot be read: {err}", None) from err
    finally:
        loader.dispose()


# ---------------------------------------------------------------------------------------------
# JSON

_TOO_DEEP = f"nested too deeply (lists or objects more than {MAX_DEPTH} levels deep)"
_LONG_INT = re.compile(rf"-?\d{{{MAX_INT_DIGITS + 1},}}")


class JSONRefused(ValueError):
    """A JSON document the guarded parser refuses; the message says why and where."""


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise JSONRefused(f"has an integer of {len(digits.lstrip('-')):,} digits (at most "
                          f"{MAX_INT_DIGITS} are read)")
    return int(digits)


def load_json(text: str) -> object:
    """The parsed JSON document ``text``, with nesting capped at :data:`MAX_DEPTH` and
    integers at :data:`MAX_INT_DIGITS` digits.

    Raises :class:`json.JSONDecodeError` for bad JSON and :class:`JSONRefused` (with the
    line where it can be told) for a refused document.
    """
    try:
        doc = json.loads(text, parse_int=_parse_int)
    except JSONRefused as err:
        found = _LONG_INT.search(text)
        where = f" at line {text.count(chr(10), 0, found.start()) + 1}" if found else ""
        raise JSONRefused(f"{err}{where}") from None
    except RecursionError:
        raise JSONRefused(_TOO_DEEP) from None
    except json.JSONDecodeError:
        raise
    except ValueError as err:  # e.g. a number Python cannot convert
        raise JSONRefused(f"has a value that cannot be read: {err}") from None
    if _too_deep(doc):
        raise JSONRefused(_TOO_DEEP)
    return doc


def _too_deep(doc: object) -> bool:
    """Whether lists and objects nest more than :data:`MAX_DEPTH` deep.

    Walked one level at a time without recursion (depth cannot crash the walk), keeping only
    the lists and objects of each level: ``json.loads`` makes exactly ``list`` and ``dict``,
    so an exact type test does, and the walk over a 2 MB borders file takes about 20 ms, not
    75 (it runs on every load of every GeoJSON file).
    """
    level, depth = ([doc] if type(doc) is list or type(doc) is dict else []), 1
    while level:
        if depth > MAX_DEPTH:
            return True
        below: list = []
        for value in level:
            items = value.values() if type(value) is dict else value
            below += [v for v in items if type(v) is list or type(v) is dict]
        level, depth = below, depth + 1
    return False
