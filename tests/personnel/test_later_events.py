"""Random histories: events dated after a day D (transfers, promotions, ends, new officers, Party roles) leave
every figure and every printed attribute as of D unchanged; a correction can change them, and shows."""

from __future__ import annotations

import datetime
import random

from django.core.exceptions import ValidationError

from personnel import corrections, services
from personnel.choices import EndReason, PartyRoleKind, Position, Rank
from personnel.coverage import coverage_figures
from personnel.models import Correction, Officer, OfficerChange, PartyRole, Posting
from reports.data import district_roster
from tests.base import D, SmallProvinceTestCase, make_officer

START, END = D(2018, 11, 1), D(2024, 12, 31)


class LaterEventsTests(SmallProvinceTestCase):
    communes = property(lambda self: [self.commune_a1, self.commune_a2, self.commune_b1, self.ward_b2])

    def shown_on(self, day: datetime.date):
        """What the dashboard counts and the district rosters print for the day."""
        printed = []
        for district in (self.district_a, self.district_b):
            for row in district_roster(district=district, as_of=day, user=self.admin):
                printed += [(row.commune.pk, p.officer.full_name, p.position, p.rank_on, p.start_date) for p in row.postings]
        return coverage_figures(province=self.province, as_of=day), sorted(printed)

    def written(self) -> int:
        return Posting.history.count() + OfficerChange.objects.count() + PartyRole.objects.count()

    def random_event(self, rng: random.Random, day: datetime.date) -> None:
        kind = rng.choice(["transfer", "end", "newcomer", "promotion", "role"])
        open_postings = list(Posting.objects.filter(end_date__isnull=True, start_date__lt=day).select_related("officer"))
        try:
            if kind == "transfer" and open_postings:
                services.posting_transfer(posting=rng.choice(open_postings), to_commune=rng.choice(self.communes), on=day,
                                          position=Position.STANDING_OFFICER)
            elif kind == "end" and open_postings:
                services.posting_end(posting=rng.choice(open_postings), on=day, reason=EndReason.OTHER)
            elif kind == "newcomer":
                officer = services.officer_create(full_name=f"Người Mới {day:%Y%m%d}{rng.randint(0, 99)}", gender="m",
                                                  rank=Rank.SUB_LIEUTENANT, service_number=f"N{rng.randint(0, 10**8)}",
                                                  birth_date=D(1995, 1, 1))
                services.posting_start(officer=officer, commune=rng.choice(self.communes), on=day,
                                       position=rng.choice([Position.CHIEF, Position.STANDING_OFFICER]))
            elif kind == "promotion":
                officer = rng.choice(list(Officer.objects.all()))
                services.officer_change(officer=officer, on=day, rank=rng.choice(list(Rank)))
            elif kind == "role" and open_postings:
                posting = rng.choice(open_postings)
                services.party_role_appoint(commune=posting.commune, role=PartyRoleKind.EXECUTIVE_COMMITTEE,
                                            officer=posting.officer, on=day)
        except ValidationError:
            pass  # refused by a rule (two chiefs, the same rank): nothing written

    def test_events_after_a_day_change_nothing_shown_for_it_and_a_correction_does(self):
        for seed in range(4):
            with self.subTest(seed=seed):
                rng = random.Random(seed)
                Posting.objects.all().delete()
                for i in range(6):
                    officer = make_officer(f"Cán Bộ {seed}-{i}", birth_date=D(1990, 1, 1), rank=rng.choice(list(Rank)[:4]))
                    services.posting_start(officer=officer, commune=self.communes[i % 4], on=START + datetime.timedelta(days=i),
                                           position=Position.STANDING_OFFICER)
                days = sorted(START + datetime.timedelta(days=rng.randint(10, (END - START).days)) for _ in range(16))
                cut = days[len(days) // 2]
                for day in days[: len(days) // 2]:
                    self.random_event(rng, day)
                before, written = self.shown_on(cut), self.written()
                for day in days[len(days) // 2:]:
                    self.random_event(rng, day + datetime.timedelta(days=1))
                self.assertGreater(self.written(), written)  # the later events did happen
                self.assertEqual(self.shown_on(cut), before)
                # A correction of a posting held on the day changes what the day shows, and is listed.
                held = Posting.objects.filter(start_date__lte=cut).exclude(end_date__lt=cut).order_by("pk").first()
                if held is not None:
                    for commune in [c for c in self.communes if c.pk != held.commune_id]:
                        try:
                            corrections.correct(Posting.objects.get(pk=held.pk), reason="wrong commune",
                                                changes={"commune": commune})
                            break
                        except ValidationError:
                            continue  # a chief where there is one already: the next commune
                    self.assertNotEqual(self.shown_on(cut)[1], before[1])
                    self.assertTrue(Correction.objects.filter(model="posting", object_id=held.pk).exists())
