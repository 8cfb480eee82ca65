"""One search for every feature: a Swedish/English analyzer, an FTS5 index shape kept per
network, and scored, explained hits.

* :mod:`.analyzer` — words, ASCII folding, Snowball Swedish stems, compound parts.
* :mod:`.thesaurus` — the field's acronyms and synonyms (``bot/data/search_thesaurus.toml``).
* :mod:`.query` — user text to safe FTS5 expressions.
* :mod:`.index` — the `Source` and `Hit` shapes, typo correction, explanations, erasure.
"""

from bot.services.search.analyzer import loaded, warm
from bot.services.search.index import (
    Hit,
    Match,
    Source,
    correct_typos,
    document_row,
    every_document,
    explain,
    forget_deleted,
    has_secure_delete,
)
from bot.services.search.query import Alternative, Query, Term, expression, parse

__all__ = [
    "Alternative",
    "Hit",
    "Match",
    "Query",
    "Source",
    "Term",
    "correct_typos",
    "document_row",
    "every_document",
    "explain",
    "expression",
    "forget_deleted",
    "has_secure_delete",
    "loaded",
    "parse",
    "warm",
]
