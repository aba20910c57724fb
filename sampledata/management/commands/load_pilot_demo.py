import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from communes.models import District, Province
from personnel.coverage import area_staffing
from sampledata.facilities_demo import load_facilities_demo
from sampledata.followup_demo import followup_demo_ensure
from sampledata.pilot import DEMO_USERS, KON_TUM, NATIONAL, REVIEW_DAY, load_pilot_demo
from sampledata.pipeline_demo import pipeline_demo_ensure
from sampledata.roadmap_demo import load_roadmaps
from sampledata.today import QUANG_NGAI


class Command(BaseCommand):
    help = ("Load Kon Tum's 2019 pilot (plan 223/KH-BCA-V05) as demo data, carried into Quảng Ngãi's units on "
            "01/07/2025 and on to today, with demo accounts. Idempotent.")

    def handle(self, *args, **options):
        result = load_pilot_demo()
        followup_demo_ensure()  # the follow-up log and the dated support assignments (sampledata/followup_demo.py)
        load_roadmaps()  # the plans' milestones (sampledata/roadmap_demo.py): no figure changes
        load_facilities_demo()  # headquarters and equipment, 2018 to today (sampledata/facilities_demo.py)
        if result.created:
            self.stdout.write(
                f"Loaded the 2019 pilot: {result.officers} officers, {result.postings} postings, "
                f"{result.cells} Party cells, {result.roles} Party roles; carried on to today."
            )
        else:
            self.stdout.write("The 2019 pilot demo is already loaded; nothing changed.")
        self.stdout.write(pipeline_demo_ensure())
        # The figures the dashboards show on the two days (the same code computes them).
        for code, day in ((KON_TUM, REVIEW_DAY), (QUANG_NGAI, timezone.localdate())):
            province = Province.objects.of_code(code, day)
            if province is not None:
                self.stdout.write(f"  {_figures_line(province, day)}")
        self.stdout.write("Demo logins:")
        districts = dict(District.objects.filter(province__code=KON_TUM).values_list("code", "name"))
        for username, password, role, district in DEMO_USERS:
            area = "toàn quốc (/national/)" if district == NATIONAL else districts.get(district, "Kon Tum")
            self.stdout.write(f"  {username:18} {password:22} {role.label}, {area}")


def _figures_line(province: Province, day: datetime.date) -> str:
    f = area_staffing(province=province, as_of=day).figures
    return (f"{province.name}, {day:%d/%m/%Y}: {f.officers_in_post} officers in post, "
            f"{f.communes_covered}/{f.communes_in_plan} communes, {f.party_cells} Party cells "
            f"({f.cells_with_police_secretary} led by police), {f.executive_committee_members} BCH, "
            f"{f.standing_committee_members} BTV")
