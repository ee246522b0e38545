"""A stamp per owner that every write to a row the dashboard's figures read replaces.

The figures are cached under it (insights/figures.py). Database triggers (migration 0017) set a
new random stamp on INSERT, DELETE and any UPDATE of a column a figure reads, in the writer's own
transaction, so the admin, imports, capture, bulk and raw updates all move it without a call in
Python. Random rather than a counter: a restored or recreated database never reissues a stamp
the cache still holds. No foreign key: the triggers fire while a user's rows are being deleted.
"""

from django.db import models


class FiguresVersion(models.Model):
    owner_id = models.BigIntegerField(primary_key=True)
    stamp = models.BigIntegerField()

    def __str__(self):
        return f"Figures of user {self.owner_id} at {self.stamp}"
