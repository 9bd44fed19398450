"""Article claims: the claims files, the checks against the geodata, and drafting from text.

:mod:`~geo.claims.schema` defines and validates a claims file, :mod:`~geo.claims.files`
reads and writes them, :mod:`~geo.claims.predicates` and :mod:`~geo.claims.checks` compute
verdicts and evidence, :mod:`~geo.claims.mentions` finds the places, routes and countries a
text names, and :mod:`~geo.claims.draft` proposes claims from an article.
"""

from .checks import (
    check_claim,
    check_claims,
    claims_gdf,
    claims_on_topic,
    preview,
    project_records,
    project_texts,
)
from .draft import draft_claims, set_claim_kind
from .files import load_articles, load_claims, quote_problems, save_claims
from .mentions import find_mentions
from .schema import validate_claims

__all__ = [
    "check_claim",
    "check_claims",
    "claims_gdf",
    "claims_on_topic",
    "draft_claims",
    "find_mentions",
    "load_articles",
    "load_claims",
    "preview",
    "project_records",
    "project_texts",
    "quote_problems",
    "save_claims",
    "set_claim_kind",
    "validate_claims",
]
