"""Ask the network: one question answered from every source the features declare.

* :mod:`.source` — the plug (`AskSource`, `AskQuery`, `AskItem`, `search_index`).
"""

from bot.services.ask.source import (
    KINDS,
    AskItem,
    AskQuery,
    AskSource,
    any_terms_expression,
    search_index,
)

__all__ = ["KINDS", "AskItem", "AskQuery", "AskSource", "any_terms_expression", "search_index"]
