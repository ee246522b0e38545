"""What a row is found by: its searched fields, folded (text.fold) into one column kept on save.

docs/design.md, "Search": SQLite compares the column with LIKE (no function per row, so it stays a
plain scan of one user's rows); PostgreSQL searches it with full-text search and a GIN index
(migration 0008), through the `noghost_search` configuration that also folds accents.
"""

from django.db import models

from invitations.text import fold


class Searchable(models.Model):
    """A model with `search_text`, rebuilt from SEARCHED whenever the row is saved."""

    SEARCHED = ()

    # db_default too: rows written without the ORM (a benchmark's raw INSERT) start unsearchable, not refused.
    search_text = models.TextField(blank=True, default="", db_default="", editable=False)

    class Meta:
        abstract = True

    def fill_search_text(self):
        """Rebuild `search_text` (save() calls it; a bulk_create must call it itself)."""
        self.search_text = fold(*(getattr(self, name) for name in self.SEARCHED))
        return self

    def save(self, *args, **kwargs):
        self.fill_search_text()
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) & set(self.SEARCHED):
            kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)
