"""The rule for verdicts: a check gives one only when it tests what the claim asserts.

A claim's ``check`` says in ``tests`` whether its predicate tests the claim's assertion
(``assertion``) or only gives context (``context``), and in ``why`` the reason. A predicate
that could give a verdict (consistent, partly consistent, not consistent) gives context
instead when ``tests`` is not ``assertion``, and a place-in-country check can only locate an
event or an allegation, never test it. Loading or saving a claims file warns about each check
whose verdict is not tied to its claim's assertion, naming the claim.
"""

from __future__ import annotations

from . import registry

# Values of a check's ``tests``: whether its predicate tests what the claim asserts.
TESTS = ("assertion", "context")


def gives_verdict(predicate: str | None, args: dict) -> bool:
    """Whether a predicate with these arguments yields a verdict rather than context."""
    if predicate is None:
        return False
    spec = registry.get(predicate)
    key = spec.verdict_arg if spec is not None else None
    return key is None or args.get(key) is not None


def tied_to_assertion(claim: dict) -> bool:
    """Whether a claim's check (a row of :func:`geo.load_claims`) may give a verdict."""
    if claim.get("tests") != "assertion":
        return False
    return not (claim.get("predicate") == "place_in_country"
                and claim.get("kind") in ("event", "allegation"))


def assertion_warnings(doc: dict, source: str = "<claims document>") -> list[str]:
    """Claims whose verdict-bearing check is not tied to what the claim asserts.

    A check gives a verdict (consistent, partly consistent, not consistent) only when its
    ``tests`` is ``assertion`` with a ``why``; with ``tests: context`` it gives context by
    design, and with no ``tests`` it gives context and is listed here. A place-in-country
    check can only locate an event or an allegation, never test it.
    """
    out = []
    for claim in doc.get("claims") or []:
        check = claim.get("check") or {}
        pred, args = check.get("predicate"), check.get("args") or {}
        if not gives_verdict(pred, args if isinstance(args, dict) else {}):
            continue
        cid = claim.get("id")
        if check.get("tests") is None:
            out.append(f"{source}: claim {cid!r}: its {pred} check gives a verdict but is not tied "
                       "to what the claim asserts (give check.tests: assertion and check.why, or "
                       "tests: context): shown as context only")
        elif (check.get("tests") == "assertion" and pred == "place_in_country"
              and claim.get("kind") in ("event", "allegation")):
            out.append(f"{source}: claim {cid!r}: a place_in_country check can only locate an "
                       f"{claim.get('kind')}, not test it: shown as context only")
    return out
