"""Search by words, case- and accent-insensitive, on SQLite and PostgreSQL (docs/design.md, "Search").

Each word typed must start a word of the row (or of a related row, such as an invitation's
client): "acm api" finds Acme's "API review". Both sides are folded by text.fold, so "Crème"
and "creme" are one word. SQLite compares the folded `search_text` with LIKE; PostgreSQL runs a
prefix full-text query against the GIN index over the same column.
"""

from django.db import connection
from django.db.models import Q

from invitations.text import fold

CONFIG = "noghost_search"  # the text search configuration migration 0008 creates
MOST_WORDS = 8  # more is a pasted paragraph, not a search: the first eight are enough


def words(text):
    """The folded words of a search, at most MOST_WORDS."""
    return fold(text).split()[:MOST_WORDS]


def matching(queryset, text, *, paths=("",)):
    """`queryset` narrowed to rows where every word of `text` starts a word of some `paths`' search_text.

    `paths` are relation prefixes ("" for the row itself, "client__" for its client).
    """
    found = words(text)
    if not found:
        return queryset
    if connection.vendor == "postgresql":
        return _full_text(queryset, found, paths)
    for word in found:  # the first word of the text, or one after a space
        queryset = queryset.filter(_any(
            Q(**{f"{path}search_text__startswith": word}) | Q(**{f"{path}search_text__contains": f" {word}"})
            for path in paths))
    return queryset


def _full_text(queryset, found, paths):
    """Each word a prefix query (`word:*`) against each path's vector, as the GIN index was built."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    vectors = {f"_search_{n}": SearchVector(f"{path}search_text", config=CONFIG) for n, path in enumerate(paths)}
    queryset = queryset.alias(**vectors)
    for word in found:
        query = SearchQuery(f"{word}:*", config=CONFIG, search_type="raw")
        queryset = queryset.filter(_any(Q(**{name: query}) for name in vectors))
    return queryset


def _any(conditions):
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined
