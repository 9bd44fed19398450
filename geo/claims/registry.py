"""Every check predicate defined once: its name, arguments, verdict argument and voice.

A predicate is a function ``(geo, args, claim) -> (verdict, assertion, finding, figures)``
registered with :func:`predicate`. What the rest of the claims code needs to know about it is
read from here, at the time it is needed:

* the schema (:mod:`geo.claims.schema`) checks a claim's ``check.args`` against ``args``;
* the rule for verdicts (:mod:`geo.claims.rules`) asks :attr:`Predicate.verdict_arg`: without
  that argument the check gives context, not a verdict;
* the evidence text (:mod:`geo.claims.checks`) says the claim "states" or "implies" what the
  predicate tests (:attr:`Predicate.states`);
* the draft (:mod:`geo.claims.draft`) builds its proposed checks with :func:`proposed`, which
  refuses a predicate or argument the registry does not know.

So adding a predicate is one edit: a decorated function in :mod:`geo.claims.predicates` (the
package imports it, so the shipped predicates are registered before any claim is read), or
anywhere else that is imported before the claims are checked.

Argument kinds (``args``): ``territory``, ``route``, ``place``, ``place_or_point``,
``place_or_territory``, ``segment_list``, ``bool``, ``km``, ``share``, ``extent``,
``comparison``, ``direction``, ``mode``, ``tense``, ``text``; :mod:`geo.claims.schema`
validates each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Predicate:
    """One check predicate.

    ``args``: argument name -> (kind, required). ``verdict_arg``: the argument without which
    the check gives context only (``None``: it always can give a verdict). ``states``: a
    claim checked with it *states* what it tests (a border, a connection, a length), rather
    than implying it.
    """

    name: str
    check: Callable
    args: Mapping[str, tuple[str, bool]]
    verdict_arg: str | None = None
    states: bool = False
    doc: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.verdict_arg is not None and self.verdict_arg not in self.args:
            msg = f"predicate {self.name}: verdict argument {self.verdict_arg!r} is not an argument"
            raise ValueError(msg)


REGISTRY: dict[str, Predicate] = {}


def predicate(name: str, *, args: Mapping[str, tuple[str, bool]], verdict_arg: str | None = None,
              states: bool = False) -> Callable[[Callable], Callable]:
    """Register the decorated function as the check predicate ``name``."""

    def register(check: Callable) -> Callable:
        if name in REGISTRY and REGISTRY[name].check is not check:
            msg = f"predicate {name} is defined twice"
            raise ValueError(msg)
        REGISTRY[name] = Predicate(name, check, dict(args), verdict_arg, states,
                                   (check.__doc__ or "").strip())
        return check

    return register


def unregister(name: str) -> None:
    """Remove predicate ``name`` (for tests that register one of their own)."""
    REGISTRY.pop(name, None)


def get(name: str | None) -> Predicate | None:
    """The predicate ``name``, or None when there is none of that name."""
    return REGISTRY.get(name) if isinstance(name, str) else None


def names() -> list[str]:
    """Every predicate's name, sorted."""
    return sorted(REGISTRY)


class _ArgsView(Mapping):
    """``{name: args}`` of every registered predicate, read when asked (not a copy)."""

    def __getitem__(self, key: str) -> Mapping[str, tuple[str, bool]]:
        found = get(key)
        if found is None:
            raise KeyError(key)
        return found.args

    def __iter__(self) -> Iterator[str]:
        return iter(names())

    def __len__(self) -> int:
        return len(names())


#: Arguments of each predicate, as the schema reads them.
PREDICATE_ARGS: Mapping[str, Mapping[str, tuple[str, bool]]] = _ArgsView()


def proposed(name: str, args: dict, *, tests: str, why: str) -> dict:
    """A check as the draft proposes it, refused if the registry does not know the predicate
    or an argument, or a required argument is missing (a draft rule out of step with it)."""
    found = get(name)
    if found is None:
        msg = f"the draft proposes an unknown predicate {name!r}"
        raise ValueError(msg)
    unknown = sorted(set(args) - set(found.args))
    missing = sorted(a for a, (_, required) in found.args.items() if required and a not in args)
    if unknown or missing:
        msg = f"the draft's {name} check: unknown {unknown}, missing {missing}"
        raise ValueError(msg)
    return {"predicate": name, "args": args, "reason": None, "tests": tests,
            "why": f"{why} (draft; review)"}
