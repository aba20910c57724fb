"""Project-wide rows that belong to no one app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row whose number goes up, in the writer's own transaction, whenever data the pages compute
    from changes: cached results are filed under it (kontum_posts.datacache), so a commit makes them
    unreachable in every process."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
