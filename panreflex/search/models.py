"""Search index tables and the staff-edited synonym list.

`SearchDocument` holds the analysed tokens of one practice example per field weight (title, summary,
body). The full-text index over it is database specific and created by migration 0002:
- SQLite: an FTS5 virtual table `search_fts` with `search_document` as external content (kept in step
  by triggers), ranked with bm25;
- PostgreSQL: a generated `tsvector` column `vector` (config 'simple' over the pre-analysed tokens,
  weights A/B/C) with a GIN index, ranked with ts_rank.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from panreflex.practices.models import Practice


class SearchDocument(models.Model):
    practice = models.OneToOneField(Practice, primary_key=True, on_delete=models.CASCADE, related_name="+")
    title = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"search document {self.practice_id}"


class SearchFacets(models.Model):
    """One row per practice example that the search reads instead of the wide practice row: its facet values
    as "key=value" codes (written by the index, see `facets.facet_codes`), a mirror of the columns that
    decide visibility and sort order, and a change `version`.

    The mirror columns are written by database triggers on the practice table (migration 0006), in the
    same transaction as the change of the practice itself, so they can never be older than the practice.
    Deleting a practice marks its row `removed` (a tombstone) instead of deleting it, so that a search
    process holding the table in memory (`table.FacetTable`) learns of the deletion from `version`.
    """

    practice = models.OneToOneField(Practice, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                    related_name="+")
    codes = models.TextField(null=True, blank=True)  # noqa: DJ001 (NULL: not indexed yet, "" : no facet values)
    organisation_id = models.BigIntegerField(null=True)
    visibility = models.CharField(max_length=20, blank=True)
    released = models.BooleanField(default=False)
    status = models.CharField(max_length=20, blank=True)
    published_ts = models.FloatField(null=True)  # seconds since 1970 (UTC)
    created_ts = models.FloatField(null=True)
    period_start_day = models.IntegerField(null=True)  # days since 1970-01-01
    period_end_day = models.IntegerField(null=True)
    removed = models.BooleanField(default=False)
    version = models.BigIntegerField(default=0, db_index=True)

    class Meta:
        verbose_name = _("search facet values")
        verbose_name_plural = _("search facet values")

    def __str__(self) -> str:
        return f"search facets {self.practice_id}"


class SearchState(models.Model):
    """One row: the change counter of `SearchFacets` and a random stamp that changes when the table was
    rebuilt (or emptied), so that every process reloads it completely instead of applying changes."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)
    stamp = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("search index state")
        verbose_name_plural = _("search index state")

    def __str__(self) -> str:
        return f"search state {self.version} {self.stamp}"


class SearchSegment(models.Model):
    """One row: the posting lists of all search documents at one state of the change counter (`postings.py`),
    as numpy arrays in one `np.savez` value. Derived data: rebuilt from `SearchDocument` at any time."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    stamp = models.CharField(max_length=40, blank=True)
    version = models.BigIntegerField(default=-1)
    docs = models.PositiveIntegerField(default=0)
    data = models.BinaryField()
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search index segment")
        verbose_name_plural = _("search index segments")

    def __str__(self) -> str:
        return f"search segment {self.version} {self.stamp} ({self.docs} documents)"


class SearchTerm(models.Model):
    """The index vocabulary (stems and parts) with document frequency: compound splitting and typos."""

    term = models.CharField(max_length=100, primary_key=True)
    df = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("index term")
        verbose_name_plural = _("index terms")

    def __str__(self) -> str:
        return self.term


class Synonym(models.Model):
    """A group of words that mean the same in a search (e.g. Obdachlose, Wohnungslose)."""

    terms = models.CharField(
        _("words"), max_length=500,
        help_text=_("Two or more words or short phrases, separated by commas."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return [t.strip() for t in self.terms.split(",") if t.strip()]
