"""What a written row is about: its topic, one of a few, each with its own version number per province.

A page's parts are cached under the topics they read (datacache.cached(topics=...)), so that a posting written in
a province recomputes the staffing figures there but leaves its facilities, its plan and its roadmap cached, and a
facilities row written leaves the staffing figures cached. A result that names no topics is filed under them all.
"""

from __future__ import annotations

UNITS = 0       # provinces, districts, communes, lineage (the communes app); anything not named below
STAFFING = 1    # officers, their units, postings, Party cells and roles, support: what the figures count
PLANS = 2       # posting plans (and the communes they list) and their roadmaps' milestones
FACILITIES = 3  # headquarters, equipment and its norms
PIPELINE = 4    # candidates, courses, results
FOLLOWUP = 5    # the follow-up log

ALL = (UNITS, STAFFING, PLANS, FACILITIES, PIPELINE, FOLLOWUP)

_BY_LABEL = {"communes.partycell": STAFFING, "personnel.plan": PLANS}
_BY_APP = {"communes": UNITS, "personnel": STAFFING, "roadmap": PLANS, "facilities": FACILITIES,
           "pipeline": PIPELINE, "followup": FOLLOWUP}


def topic_of(model) -> int:
    """The topic of a model's rows; a many-to-many table's is its owner's (a plan's communes: PLANS)."""
    meta = model._meta
    if meta.auto_created:
        meta = meta.auto_created._meta
    if meta.label_lower in _BY_LABEL:
        return _BY_LABEL[meta.label_lower]
    return _BY_APP.get(meta.app_label, UNITS)
