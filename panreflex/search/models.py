"""Search index tables and the staff-edited synonym list.

`SearchDocument` holds the analysed tokens of one practice example per field (title, summary, body and
`focus`: the tokens the example uses often) and the length factors of its fields. The full-text index
over it lives in the database (migration 0009, see `backends.py`):
- SQLite: an FTS5 virtual table `search_fts(title, summary, body, focus)` with `search_searchdocument`
  as external content, kept in step by triggers;
- PostgreSQL: generated `tsvector` columns (config 'simple' over the pre-analysed tokens) with a GIN
  index each: `vector` (all fields), `title_vector`, `summary_vector`, `focus_vector`.
Every process reads the same index: a change is searchable the moment its transaction commits.
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
    focus = models.TextField(blank=True)  # tokens that occur at least FOCUS_MIN_TF times in the example
    # length factors of bm25 with a fixed pivot, in thousandths (integers: the same sums on every database)
    title_norm = models.PositiveIntegerField(default=1000)
    summary_norm = models.PositiveIntegerField(default=1000)
    body_norm = models.PositiveIntegerField(default=1000)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        # the length factors of every matching example, read without the wide rows of tokens
        indexes = [models.Index(fields=["practice", "title_norm", "summary_norm", "body_norm"],
                                name="search_document_norms")]

    def __str__(self) -> str:
        return f"search document {self.practice_id}"


class SearchTerm(models.Model):
    """The index vocabulary (stems and parts) with document frequency: compound splitting and typos."""

    term = models.CharField(max_length=100, primary_key=True)
    reversed = models.CharField(max_length=100, default="", db_index=True)  # the term backwards: compounds by head
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
