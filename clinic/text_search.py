"""The lists' search box and their order by name, shared by every list (companies, people,
applications, the screening queue, reviewer assignment, the outbox, experts, participants).

Search: on PostgreSQL a row matches when one of the fields contains the query case-insensitively
(``ILIKE``: also Chinese text, which pg_trgm has no trigrams for) or is word-similar to it
(pg_trgm's ``query <% field``: misspelt and partial names), best match first (word similarity
plus similarity, the better field of a row counting); both are served
by the GIN trigram indexes of the migrations ``clinic/0007`` and ``cohorts/0015``. The
similarity threshold is ``pg_trgm.word_similarity_threshold``, set per connection in
settings (``TRIGRAM_THRESHOLD``). On SQLite a row matches by ``icontains``.

Order: ``natural(field)`` orders names naturally ("Company 2" before "Company 10", case
ignored, ties by the exact text): the ``natural_sort`` collation, ICU's numeric ordering on
PostgreSQL (created by the migration) and a Python collation registered on every SQLite
connection. The database sorts, so pagination and query counts stay as they were.
"""

import re

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import CharField, Lookup, Q, TextField
from django.db.models.functions import Collate, Greatest

NATURAL = "natural_sort"
_PIECES = re.compile(r"(\d+)")


class ILikeContains(Lookup):
    """``field ILIKE '%query%'`` on PostgreSQL (a trigram index serves it; Django's
    ``icontains`` compares ``UPPER(field)``, which the index does not cover)."""

    lookup_name = "ilike_contains"

    def get_db_prep_lookup(self, value, connection):
        return "%s", [f"%{connection.ops.prep_for_like_query(value)}%"]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


for _field in (CharField, TextField):
    _field.register_lookup(ILikeContains)
    _field.register_lookup(TrigramWordSimilar)


def matching(queryset, query, fields, *, order=(), also=None):
    """The rows of ``queryset`` whose ``fields`` (paths such as ``company__legal_name``) match
    ``query``, or that meet ``also`` (a Q, e.g. a match in a many-valued relation, which must not
    multiply the rows), ordered by ``order`` (on PostgreSQL best match first). An empty query
    matches every row."""
    query = (query or "").strip()
    if not query:
        return queryset.order_by(*order) if order else queryset
    if connections[queryset.db].vendor != "postgresql":
        condition = also or Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": query})
        found = queryset.filter(condition)
        return found.order_by(*order) if order else found
    condition = also or Q()
    for field in fields:
        condition |= Q(**{f"{field}__ilike_contains": query})
        condition |= Q(**{f"{field}__trigram_word_similar": query})
    # Word similarity finds a misspelt word inside a long name; adding the whole name's
    # similarity ranks the name that matches more of the query first ("Beijng Hydrogn": Beijing
    # Tianlan Hydrogen before Wuhan Xinyang Hydrogen, whose word similarity is higher).
    ranks = [
        TrigramWordSimilarity(query, field) + TrigramSimilarity(field, query) for field in fields
    ]
    rank = ranks[0] if len(ranks) == 1 else Greatest(*ranks)
    return queryset.annotate(search_rank=rank).filter(condition).order_by("-search_rank", *order)


def natural(field, *, descending=False):
    """An ``order_by`` term putting the names of ``field`` in natural order."""
    term = Collate(field, NATURAL)
    return term.desc() if descending else term.asc()


def natural_key(text):
    """ "Company 10" -> ("company ", 10, ""): digits compare as numbers, letters case-folded."""
    pieces = _PIECES.split((text or "").casefold())
    return [int(piece) if index % 2 else piece for index, piece in enumerate(pieces)]


def compare_naturally(left, right):
    """SQLite's ``natural_sort`` collation: natural order, ties by the exact text."""
    a, b = (natural_key(left), left), (natural_key(right), right)
    return (a > b) - (a < b)


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NATURAL, compare_naturally)


connection_created.connect(register_sqlite_collation, dispatch_uid="clinic.natural_sort")
