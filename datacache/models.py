"""The data versions: one number per province (and one for what belongs to none) that every write of its
data raises, under which cached results are filed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaVersion(models.Model):
    """A number that goes up, in the writer's own transaction, whenever data of its area changes: cached
    results are filed under the numbers of the areas they read (see datacache/__init__.py), so a commit makes
    them unreachable in every process, and a write in one province leaves the others' results in place.

    `area` is a province's pk, 0 (datacache.areas.AREA_ALL) for data that belongs to no single province, or -1
    (AREA_NONE) for officers in no province yet.
    Not a foreign key: a province's number outlives nothing, and the row is written before the province's.
    `topic` (datacache.topics): what the data is about, so that a write of one topic leaves results that read
    only others in place."""

    area = models.BigIntegerField(_("area"))
    topic = models.PositiveSmallIntegerField(_("topic"), default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        constraints = [models.UniqueConstraint(fields=["area", "topic"], name="datacache_one_number_per_area_and_topic")]

    def __str__(self) -> str:
        return f"{self.area}/{self.topic}: {self.value}"
