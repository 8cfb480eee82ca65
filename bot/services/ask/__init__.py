"""Ask the network: one question answered from every source the features declare.

* :mod:`.source` — the plug (`AskSource`, `AskQuery`, `AskItem`, `search_index`).
* :mod:`.parse` — everyday questions to terms, places and expertise.
* :mod:`.answer` — every source searched, hits merged and grouped by kind.
* :mod:`.people` — the directory as a source (visible profiles only), and the opt-in to pings.
* :mod:`.questions` — posts in the questions forum, answers, answered questions as a source.
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
