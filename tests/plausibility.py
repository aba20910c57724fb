"""Every stored row against the plausibility rules: the demo and the synthetic data must keep them."""

from __future__ import annotations

from collections import defaultdict

from communes.models import PartyCell
from communes.periods import TERM
from communes.rules import DECISION_NOT_IN_FUTURE
from personnel.models import Officer, PartyRole, Posting
from personnel.rules import (
    BIRTH_DATE_IN_PAST,
    PARTY_ADMISSION_AS_ADULT,
    PARTY_ADMISSION_NOT_IN_FUTURE,
    POSTED_AS_ADULT,
    ROLE_HELD_WHILE_POSTED,
)


def plausibility_breaches(limit: int = 10) -> list[str]:
    """The first `limit` rows that break a plausibility rule, each as "model pk: the rule's message".

    The rules about a row alone are asked of every row; the one that reads other rows (a police officer's role
    within their postings in its commune) is asked through its own definition with every posting read once
    (Period.uncovered, as role_uncovered_days), and in its own words for the rows that break it."""
    found = []
    checks = (
        (Officer.objects.all(), (BIRTH_DATE_IN_PAST, PARTY_ADMISSION_AS_ADULT, PARTY_ADMISSION_NOT_IN_FUTURE)),
        (Posting.objects.select_related("officer"), (POSTED_AS_ADULT, DECISION_NOT_IN_FUTURE)),
        (PartyRole.objects.all(), (DECISION_NOT_IN_FUTURE,)),
        (PartyCell.objects.all(), (DECISION_NOT_IN_FUTURE,)),
    )
    for rows, rules in checks:
        for row in rows.iterator(chunk_size=2000):
            found += [f"{type(row).__name__} {row.pk}: {rule.text(row)}" for rule in rules if rule.broken(row)]
    postings = defaultdict(list)
    for officer, commune, start, end in Posting.objects.values_list("officer_id", "commune_id", "start_date", "end_date"):
        postings[(officer, commune)].append((start, end))
    roles = PartyRole.objects.filter(officer__isnull=False).values_list("pk", "officer_id", "commune_id", "start_date",
                                                                        "end_date")
    uncovered = [pk for pk, officer, commune, start, end in roles.iterator(chunk_size=2000)
                 if TERM.uncovered(start, end, postings[(officer, commune)])]
    for role in PartyRole.objects.filter(pk__in=uncovered[:limit]).select_related("officer", "commune"):
        found.append(f"PartyRole {role.pk}: {ROLE_HELD_WHILE_POSTED.text(role)}")
    return found[:limit]
