"""Finding prisoners, facilities and lawyers however their names are written: the one search of the whole app.

Every spelling of a record's name (its display name and each name variant) is kept in the name index, computed in
Python on every save and delete of a record or variant (`manage.py reindex_names` rebuilds it from scratch): one
`IndexedName` per folded spelling and one `IndexedWord` per word with its phonetic key (casetracker.names). A query
finds a record in one of three ways, ranked in this order:

1. exact: the folded query is one of the record's folded spellings ("maria kalesnikava");
2. every word: each query word starts a word of the record's names, folded or by key, in any order and across its
   variants ("Kolesnikova Maria", "Мария Колесникова", "Kalesn");
3. near: each query word does that, or is at least NEAR similar to one of those words by pg_trgm's trigram similarity
   ("Kalesnikva", "Maria Kolesnikvoa"): a typo costs a word a few of its trigrams, while a different name sharing
   only its ending keeps few (bepaouski / zhukouski 0.25). Compared as whole names, two people sharing a common given
   name score as high as a typo does (Darya Bepaouski / Darya Zhukouski 0.46).

Within a rank the record whose nearest spelling is most similar to the whole query comes first (pg_trgm similarity
of the folded query and spellings), then by folded name and id in byte order, so PostgreSQL (pg_trgm, GIN indexes)
and SQLite (`similarity` registered as an SQL function) give the same results in the same order. When nothing is
found, `suggestions` offers the spellings nearest the whole query. Duplicate candidates add the records that share
the query's rarest word (usually the surname): a given name in another form (Mikalai / Nikolai Statkevich) is
joined by neither keys nor trigrams. Every condition is an index lookup, except similarity on SQLite, which compares
each word or spelling (SQLite is the embedded default, for small registers).

Public code searches `.public()` querysets, so an unpublished record is never found, suggested or echoed; and such a
queryset (through `public_names()`) reads only the index rows of public spellings (the display name and the name
variants marked public), so an internal variant (a legal name behind a pseudonym) neither finds, ranks nor is shown
as the spelling matched. The admin and duplicate checks read every spelling.
"""

from contextlib import contextmanager
from typing import NamedTuple

from django.apps import apps as django_apps
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections, models, transaction
from django.db.backends.signals import connection_created
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Cast, Collate
from django.db.models.signals import post_delete, post_save

from casetracker.names import clean_query, name_key, similarity, words

# Searchable records (model name) -> the relation holding their name variants (None: the display name only).
SEARCHABLE = {"prisoner": "name_variants", "facility": "name_variants", "lawyer": None}
# Name variant models -> the searchable record (and foreign key) they belong to.
VARIANT_OF = {"namevariant": "prisoner", "facilitynamevariant": "facility"}

# A word with a typo scores 0.375-0.75 against the word meant (lsik / losik, kolesnikvoa / kolesnikova); different
# surnames sharing an ending 0.22-0.28 (lukashevich / pashkevich). pg_trgm's own default threshold, which its %
# operator (and so the GIN index) applies.
NEAR = 0.3
SUGGEST = 0.15  # the nearest whole names offered when nothing is found may be further off
MAX_WORDS = 8  # longer queries are cut: no name has more words, and each word is a subquery

EXACT, EVERY_WORD, NEAR_MATCH = 0, 1, 2  # search_rank
RAREST_WORD = 3  # a duplicate candidate found by the rarest word of its names alone
RARE = 20  # records at most that may carry a word for it to point at a person
MANY_CARRIERS = 2000  # a key more records carry than this is too common to find candidates by (a given name)
DUPLICATE_ORDER = {EXACT: 0, EVERY_WORD: 1, RAREST_WORD: 2, NEAR_MATCH: 3}  # a shared surname before a near one

# Rank, then score (highest first), as one sort key: rank + (1 - score) / 2 is exact in doubles for float4 scores, so
# it orders exactly as (rank, -score). PostgreSQL cannot compute it before it has the matches (the score reads the
# index), so it joins them first; sorting by the rank alone, it would sort every record by rank and scan them in that
# order against the matches, which takes seconds for a query as common as "Maria" at 100,000 prisoners.
BEST_FIRST = F("search_rank") + (1.0 - F("search_score")) / 2


class IndexedName(models.Model):
    """One folded spelling of a searchable record's name. Derived from the records, so no history."""

    kind = models.CharField(max_length=10)  # the record's model name: prisoner, facility, lawyer
    owner_id = models.BigIntegerField()
    folded = models.TextField()
    public = models.BooleanField()  # a spelling the public may see: the display name or a public variant

    class Meta:
        indexes = [
            models.Index(fields=["kind", "owner_id"], name="indexedname_owner"),
            models.Index(fields=["kind", "folded"], name="indexedname_folded"),
        ]
        # On PostgreSQL also GIN trigram indexes on `folded`, one per kind, for the nearest names (0007, 0009).

    def __str__(self):
        return f"{self.kind} {self.owner_id}: {self.folded}"


class IndexedWord(models.Model):
    """One word of a searchable record's names, folded, with its phonetic key. Derived, so no history."""

    kind = models.CharField(max_length=10)
    owner_id = models.BigIntegerField()
    word = models.TextField()
    key = models.TextField()
    public = models.BooleanField()  # a word of a spelling the public may see

    class Meta:
        # Prefix lookups (word or key, then the owner) answered from the index alone; the pattern operator classes
        # let PostgreSQL use them for LIKE 'kal%' whatever the database's collation (SQLite ignores them).
        indexes = [
            models.Index(
                fields=["kind", "word", "owner_id"],
                name="indexedword_word",
                opclasses=["varchar_pattern_ops", "text_pattern_ops", "int8_ops"],
            ),
            models.Index(
                fields=["kind", "key", "owner_id"],
                name="indexedword_key",
                opclasses=["varchar_pattern_ops", "text_pattern_ops", "int8_ops"],
            ),
            models.Index(fields=["kind", "owner_id"], name="indexedword_owner"),
        ]
        # On PostgreSQL also GIN trigram indexes on `word`, one per kind, for near matches (migrations 0007, 0009).

    def __str__(self):
        return f"{self.kind} {self.owner_id}: {self.word} ({self.key})"


class StartsWith(models.Func):
    """`field` starts with `prefix`, a folded word or key (plain [a-z0-9], so nothing to escape), through the index:
    PostgreSQL's pattern index serves LIKE 'kal%'; SQLite's LIKE ignores case and so its index, but a range does not."""

    output_field = models.BooleanField()

    def __init__(self, field, prefix):
        super().__init__(F(field))
        self.prefix = prefix

    def as_sql(self, compiler, connection, **extra_context):
        field, params = compiler.compile(self.source_expressions[0])
        return f"({field} >= %s AND {field} < %s)", [*params, self.prefix, *params, self.prefix + "~"]

    def as_postgresql(self, compiler, connection, **extra_context):
        field, params = compiler.compile(self.source_expressions[0])
        return f"{field} LIKE %s", [*params, self.prefix + "%"]


class Near(models.Func):
    """`field` is at least `threshold` similar to `text` by pg_trgm's similarity. On PostgreSQL the % operator finds
    the candidates through the GIN index, at pg_trgm.similarity_threshold (see `trigram_threshold`)."""

    output_field = models.BooleanField()

    def __init__(self, field, text, threshold):
        super().__init__(F(field), Value(text), Value(threshold))

    def as_sql(self, compiler, connection, **extra_context):
        (field, field_params), (text, text_params), (threshold, threshold_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return f"similarity({field}, {text}) >= {threshold}", [*field_params, *text_params, *threshold_params]

    def as_postgresql(self, compiler, connection, **extra_context):
        (field, field_params), (text, text_params) = (compiler.compile(e) for e in self.source_expressions[:2])
        sql, params = self.as_sql(compiler, connection)
        return f"({field} %% {text} AND {sql})", [*field_params, *text_params, *params]


class ByteOrder(Collate):
    """Sort text by its bytes on both databases (PostgreSQL's "C" collation, SQLite's BINARY), so ties break alike."""

    def __init__(self, expression):
        super().__init__(expression, "C")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, collation="BINARY", **extra_context)


def _register_similarity(sender, connection, **kwargs):
    """SQLite computes pg_trgm's similarity with the same Python function, so both databases rank alike."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("similarity", 2, similarity, deterministic=True)


connection_created.connect(_register_similarity, dispatch_uid="prisoners-search-similarity")


@contextmanager
def trigram_threshold(threshold, using="default"):
    """Let PostgreSQL's % operator (and so the GIN index) find names down to `threshold` similar, in a transaction
    of their own; `Near` still checks the exact threshold, so a lower setting never changes a result."""
    connection = connections[using]
    if connection.vendor != "postgresql" or threshold >= NEAR:
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pg_trgm.similarity_threshold')")
        (previous,) = cursor.fetchone()
        cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(threshold)])
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [previous])


class NameQuery:
    """A query as the search reads it: its folded form (for exact and near matches) and its distinct words, each with
    its phonetic key (for word matches). Made from cleaned text, so no NUL byte or symbol reaches the database."""

    def __init__(self, text):
        self.text = clean_query(text)
        folded_words = words(self.text)
        self.folded = " ".join(folded_words)
        self.words = [(word, name_key(word)) for word in dict.fromkeys(folded_words)][:MAX_WORDS]

    def __bool__(self):
        return bool(self.words)

    @staticmethod
    def word_condition(word, key):
        """The SQL twin of `matches_every_word`, for one query word: it starts a name's word, folded or by key."""
        return StartsWith("word", word) | StartsWith("key", key)

    @staticmethod
    def near_word_condition(word, key):
        """For one query word: that, or the name's word is at least NEAR similar to it."""
        return NameQuery.word_condition(word, key) | Near("word", word, NEAR)

    def matches_every_word(self, name_words):
        """Whether each query word starts one of these folded words, or its key starts theirs."""
        keys = [name_key(word) for word in name_words]
        return all(
            any(word.startswith(part) for word in name_words) or any(other.startswith(key) for other in keys)
            for part, key in self.words
        )


def _rows(model, kind, public):
    """The index rows of `kind`; of public spellings only, for a `.public()` queryset."""
    rows = model.objects.filter(kind=kind)
    return rows.filter(public=True) if public else rows


def _owners_matching_every_word(kind, query, condition, public):
    """Ids of the records of `kind` that have, for each query word, a word of their names meeting `condition`."""
    found = None
    for word, key in query.words:
        owners = _rows(IndexedWord, kind, public).filter(condition(word, key)).values("owner_id")
        found = owners if found is None else found.filter(owner_id__in=owners)
    return found


def _matches(kind, query, public):
    """Ids of the records of `kind` whose names match `query` exactly, by every word, and nearly. Each set holds the
    one before it: an exact spelling has every word, and every word is near."""
    exact = _rows(IndexedName, kind, public).filter(folded=query.folded).values("owner_id")
    every_word = _owners_matching_every_word(kind, query, query.word_condition, public)
    near = _owners_matching_every_word(kind, query, query.near_word_condition, public)
    return exact, every_word, near


def _nearest_similarity(kind, query, public):
    """The similarity of a record's spelling nearest the query (a subquery on the record's pk). As a double: PostgreSQL
    would send its float4 as the shortest text that reads back as float4, not as the float4's own value."""
    nearest = (
        _rows(IndexedName, kind, public)
        .filter(owner_id=OuterRef("pk"))
        .annotate(similarity=Cast(TrigramSimilarity("folded", query.folded), models.FloatField()))
        .order_by("-similarity")
        .values("similarity")[:1]
    )
    return Subquery(nearest, output_field=models.FloatField())


class Spelling(NamedTuple):
    text: str
    language: str  # BCP 47, for lang=""; blank when not known


class Candidate(NamedTuple):
    """A record that may be the one a new record or an imported row names."""

    record: models.Model
    matched: str  # the record's spelling nearest the names given
    score: float  # the trigram similarity of the two (1.0: the same spelling, folded)


class SearchableQuerySet(models.QuerySet):
    """Records found by any spelling of their names: prisoners, facilities and lawyers."""

    _public_names = False  # set by `public_names()`: only public spellings find, rank and show

    def public_names(self):
        """Searches read only public spellings from here on: what the models' `public()` start with."""
        clone = self._chain()
        clone._public_names = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._public_names = self._public_names
        return clone

    @property
    def _kind(self):
        return self.model._meta.model_name

    def with_variants(self):
        """Prefetch what `spellings` reads: for a `.public()` queryset, only the variants the public may see."""
        variants = SEARCHABLE[self._kind]
        if not variants:
            return self
        variant_model = self.model._meta.get_field(variants).related_model
        if self._public_names and hasattr(variant_model._default_manager, "public"):
            return self.prefetch_related(Prefetch(variants, queryset=variant_model._default_manager.public()))
        return self.prefetch_related(variants)

    def name_matches(self, query):
        """Records whose names match `query` in any of the three ways, unranked (a query without words: no one)."""
        query = NameQuery(query)
        if not query:
            return self.none()
        return self.filter(pk__in=_matches(self._kind, query, self._public_names)[2])

    def search(self, query, *, also=None):
        """Records whose names match `query`, best first: `search_rank` (EXACT, EVERY_WORD, NEAR_MATCH), then
        `search_score` (the similarity of the nearest spelling), folded name and id. `also`: a condition for records
        found another way (a register ID), ranked with the near matches. A query without words finds no one."""
        query = NameQuery(query)
        if not query:
            return self.filter(also) if also is not None else self.none()
        exact, every_word, near = _matches(self._kind, query, self._public_names)
        found = Q(pk__in=near)
        if also is not None:
            found |= also
        return (
            self.filter(found)
            .annotate(
                search_rank=Case(
                    When(pk__in=exact, then=Value(EXACT)),
                    When(pk__in=every_word, then=Value(EVERY_WORD)),
                    default=Value(NEAR_MATCH),
                ),
                search_score=_nearest_similarity(self._kind, query, self._public_names),
            )
            .order_by(BEST_FIRST.asc(nulls_last=True), ByteOrder("name_folded"), "pk")
        )

    def suggestions(self, query, limit=5):
        """The nearest names, for when a search found no one: up to `limit` (record, its nearest spelling), with a
        spelling at least SUGGEST similar to the query, most similar first."""
        query = NameQuery(query)
        if not query:
            return []
        near = _rows(IndexedName, self._kind, self._public_names).filter(Near("folded", query.folded, SUGGEST))
        found = (
            self.with_variants()
            .filter(pk__in=near.values("owner_id"))
            .annotate(search_score=_nearest_similarity(self._kind, query, self._public_names))
            .order_by("-search_score", ByteOrder("name_folded"), "pk")
        )
        with trigram_threshold(SUGGEST, using=self.db):
            return [(record, best_spelling(record, query)) for record in found[:limit]]

    def rarest_word(self, names):
        """Of the words of these names, the one that the fewest records' names carry, when some do but no more than
        RARE (by the word index): usually the surname. "" when there is none: a given name is carried by too many
        to point at anyone, and a word no one carries points at no one."""
        distinct = {key: word for name in names for word, key in NameQuery(name).words}  # one count per key
        words_of = _rows(IndexedWord, self._kind, self._public_names)
        counts = {
            word: words_of.filter(NameQuery.word_condition(word, key)).values("owner_id").distinct()[: RARE + 1].count()
            for key, word in distinct.items()
        }
        rare = {word: count for word, count in counts.items() if 0 < count <= RARE}
        return min(rare, key=rare.get, default="")

    def duplicate_candidates(self, names, limit=5):
        """Records that may be the one these names (a new record's name and variants, or an imported row's) belong
        to: up to `limit` Candidates, best first. Found by `search` for each distinct spelling, and by the rarest of
        their words alone (Mikola Statkevich for Nikolai Statkevich), ranked after every word and before near
        matches. Importers call this for each row."""
        queries = list({query.folded: query for query in map(NameQuery, names) if query}.values())
        records, best = self.with_variants(), {}

        def keep(record, rank, query):
            spelling = best_spelling(record, query).text
            score = similarity(query.folded, " ".join(words(spelling)))
            found = (DUPLICATE_ORDER[rank], -score, record.name_folded, record.pk)
            if record.pk not in best or found < best[record.pk][0]:
                best[record.pk] = (found, Candidate(record, spelling, score))

        for query in queries:
            for record in records.search(query.text)[:limit]:
                keep(record, record.search_rank, query)
        if any(len(query.words) > 1 for query in queries) and (rarest := self.rarest_word(q.text for q in queries)):
            for record in records.search(rarest)[:limit]:
                if record.search_rank <= EVERY_WORD:  # the word itself, not a word near it
                    for query in queries:
                        keep(record, RAREST_WORD, query)
        return [candidate for _, candidate in sorted(best.values(), key=lambda item: item[0])[:limit]]

    def duplicate_candidates_of_many(self, names_of_each, limit=5):
        """`duplicate_candidates` for many new records at once (a batch of an import), in a few queries for the
        whole batch: a record is a candidate when, for one of the names given, every word's phonetic key is one of
        its words' keys (the same name in another script or transliteration, in any order), or when it carries
        the rarest of those keys and at most RARE records do (a surname shared). Typos are the one-by-one
        `duplicate_candidates`' business (the admin's add form). A list of Candidates for each list of names."""
        queries_of_each = [[q for q in map(NameQuery, names) if q] for names in names_of_each]
        keys = {key for queries in queries_of_each for query in queries for _, key in query.words}
        words_of = _rows(IndexedWord, self._kind, self._public_names)
        counts = dict(
            words_of.filter(key__in=keys)
            .values("key")
            .annotate(n=Count("owner_id", distinct=True))
            .values_list("key", "n")
        )
        rarest = {}  # each query's least common key, which every candidate for it must carry
        for queries in queries_of_each:
            for query in queries:
                carried = [key for _, key in query.words if key in counts]
                if len(carried) == len(query.words):
                    rarest[query.folded] = min(carried, key=counts.get)
        wanted = {key for key in rarest.values() if counts[key] <= MANY_CARRIERS}
        owners_of = {}
        for owner, key in words_of.filter(key__in=wanted).values_list("owner_id", "key"):
            owners_of.setdefault(key, set()).add(owner)
        owner_keys = {}
        for owner, key in words_of.filter(
            owner_id__in={o for owners in owners_of.values() for o in owners}
        ).values_list("owner_id", "key"):
            owner_keys.setdefault(owner, set()).add(key)
        records = self.with_variants().in_bulk(list(owner_keys))
        found = []
        for queries in queries_of_each:
            best = {}
            for query in queries:
                key = rarest.get(query.folded)
                for owner in owners_of.get(key, ()):
                    every_word = {k for _, k in query.words} <= owner_keys[owner]
                    if not every_word and (len(query.words) < 2 or counts[key] > RARE):
                        continue
                    record = records[owner]
                    spelling = best_spelling(record, query).text
                    score = similarity(query.folded, " ".join(words(spelling)))
                    order = (
                        DUPLICATE_ORDER[EVERY_WORD if every_word else RAREST_WORD],
                        -score,
                        record.name_folded,
                        owner,
                    )
                    if owner not in best or order < best[owner][0]:
                        best[owner] = (order, Candidate(record, spelling, score))
            found.append([candidate for _, candidate in sorted(best.values(), key=lambda item: item[0])[:limit]])
        return found


def spellings(record):
    """Every spelling of a record's name: its display name first (language not recorded), then its variants (those
    prefetched: a `.public()` queryset's `with_variants()` and the public case file fetch only public ones)."""
    variants = SEARCHABLE[record._meta.model_name]
    found = [Spelling(record.name, "")]
    if variants:
        found.extend(Spelling(variant.name, variant.language) for variant in getattr(record, variants).all())
    return found


def _indexed_spellings(record):
    """(text, public) for every spelling of a record: the display name is public, a variant if it says so (a
    facility's variants, and a prisoner's from before the flag, have no say: public)."""
    variants = SEARCHABLE[record._meta.model_name]
    yield record.name, True
    if variants:
        for variant in getattr(record, variants).all():
            yield variant.name, getattr(variant, "public", True)


def best_spelling(record, query):
    """The spelling of a record's name most like `query`: the same folded spelling, else one in the query's script
    (Колесникова for Мария Колесникова), the most similar, one matching every word; on a tie the display name."""
    if not isinstance(query, NameQuery):
        query = NameQuery(query)
    cyrillic = _has_cyrillic(query.text)

    def rank(spelling):
        name_words = words(spelling.text)
        folded = " ".join(name_words)
        return (
            folded == query.folded,
            _has_cyrillic(spelling.text) == cyrillic,
            similarity(query.folded, folded),
            query.matches_every_word(name_words),
        )

    return max(spellings(record), key=rank)


def matched_spelling(record, query):
    """The spelling a search result was found by, when it is not the display name (shown as "matched: …")."""
    best = best_spelling(record, query)
    return None if best.text == record.name else best


def _has_cyrillic(text):
    return any("\u0400" <= char <= "\u04ff" for char in text)


def index_rows(record, name_model=IndexedName, word_model=IndexedWord):
    """The index rows of one record: its distinct folded spellings and distinct words with their keys, each public
    when some public spelling has it (an internal variant sharing a word with the display name hides nothing)."""
    kind = record._meta.model_name
    folded_names, word_public = {}, {}
    for text, public in _indexed_spellings(record):
        name_words = words(text)
        if name_words:
            folded = " ".join(name_words)
            folded_names[folded] = folded_names.get(folded, False) or public
            for word in name_words:
                word_public[word] = word_public.get(word, False) or public
    # Migration 0007 rebuilds the index with the models of its time, before the flag.
    flagged = "public" in {field.name for field in name_model._meta.get_fields()}

    def flag(public):
        return {"public": public} if flagged else {}

    return (
        [name_model(kind=kind, owner_id=record.pk, folded=f, **flag(p)) for f, p in folded_names.items()],
        [word_model(kind=kind, owner_id=record.pk, word=w, key=name_key(w), **flag(p)) for w, p in word_public.items()],
    )


def reindex(model, pk):
    """Bring one record's index rows up to date with its names (or remove them, if it is gone)."""
    reindex_many(model, [pk])


def reindex_many(model, pks):
    """The same for many records at once (a few queries, however many): what a bulk write, such as an
    import, calls for the records it wrote past the signals."""
    kind, variants = model._meta.model_name, SEARCHABLE[model._meta.model_name]
    IndexedName.objects.filter(kind=kind, owner_id__in=pks).delete()
    IndexedWord.objects.filter(kind=kind, owner_id__in=pks).delete()
    records = model._base_manager.filter(pk__in=pks)
    names, owner_words = [], []
    for record in records.prefetch_related(variants) if variants else records:
        record_names, record_words = index_rows(record)
        names.extend(record_names)
        owner_words.extend(record_words)
    IndexedName.objects.bulk_create(names)
    IndexedWord.objects.bulk_create(owner_words)


def rebuild(apps=django_apps, batch_size=2000):
    """Rebuild the whole index from the records, in one transaction (readers see the old index until it commits).
    Used by `manage.py reindex_names` (after bulk loading) and by migration 0007, with its historical models."""
    name_model = apps.get_model("prisoners", "IndexedName")
    word_model = apps.get_model("prisoners", "IndexedWord")
    counts = {}
    with transaction.atomic():
        name_model.objects.all().delete()
        word_model.objects.all().delete()
        for kind, variants in SEARCHABLE.items():
            records = apps.get_model("prisoners", kind)._base_manager.order_by("pk")
            if variants:
                records = records.prefetch_related(variants)
            names, owner_words, counts[kind] = [], [], 0
            for record in records.iterator(chunk_size=batch_size):
                record_names, record_words = index_rows(record, name_model, word_model)
                names.extend(record_names)
                owner_words.extend(record_words)
                counts[kind] += 1
                if len(owner_words) >= batch_size:
                    name_model.objects.bulk_create(names)
                    word_model.objects.bulk_create(owner_words)
                    names, owner_words = [], []
            name_model.objects.bulk_create(names)
            word_model.objects.bulk_create(owner_words)
    return counts


def _record_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or "name" in update_fields:  # saved in full, or its name; or deleted
        reindex(sender, instance.pk)


def _variant_changed(sender, instance, **kwargs):
    owner = VARIANT_OF[sender._meta.model_name]
    reindex(sender._meta.get_field(owner).related_model, getattr(instance, f"{owner}_id"))


def _keep_the_index_current():
    receivers = [(kind, _record_changed) for kind in SEARCHABLE] + [(name, _variant_changed) for name in VARIANT_OF]
    for model, receiver in receivers:
        post_save.connect(receiver, sender=f"prisoners.{model}", dispatch_uid=f"name-index-saved-{model}")
        post_delete.connect(receiver, sender=f"prisoners.{model}", dispatch_uid=f"name-index-deleted-{model}")


_keep_the_index_current()
