"""The data version: one number that every write raises, under which cached results are filed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row whose number goes up, in the writer's own transaction, whenever data the pages compute
    from changes: cached results are filed under it (see datacache/__init__.py), so a commit makes them
    unreachable in every process."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")

    def __str__(self) -> str:
        return str(self.value)
