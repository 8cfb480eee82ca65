"""Good practice: the network's inventory of what is done for newcomers (no Discord here).

* :mod:`.model` — the practice, its checks, every write, interest and adoption.
* :mod:`.search` — the index on the one search, `search`, autocomplete, snippets, `/ask`.
* :mod:`.exchange` — file formats (export, import), written beside this package.
"""

from bot.services.practices.model import (
    FUNDING,
    STATUSES,
    TARGETS,
    THEMES,
    Fields,
    Practice,
)
from bot.services.practices.search import SOURCE, Criteria, SearchResult, search

__all__ = [
    "FUNDING",
    "SOURCE",
    "STATUSES",
    "TARGETS",
    "THEMES",
    "Criteria",
    "Fields",
    "Practice",
    "SearchResult",
    "search",
]
