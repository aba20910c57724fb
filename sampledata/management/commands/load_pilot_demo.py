from django.core.management.base import BaseCommand

from communes.models import District
from sampledata.pilot import DEMO_USERS, NATIONAL, load_pilot_demo


class Command(BaseCommand):
    help = "Load Kon Tum's 2019 pilot (plan 223/KH-BCA-V05) as demo data, with demo accounts. Idempotent."

    def handle(self, *args, **options):
        result = load_pilot_demo()
        if result.created:
            self.stdout.write(
                f"Loaded the 2019 pilot: {result.officers} officers, {result.postings} postings, "
                f"{result.cells} Party cells, {result.roles} Party roles."
            )
        else:
            self.stdout.write("The 2019 pilot demo is already loaded; nothing changed.")
        self.stdout.write("Demo logins:")
        districts = dict(District.objects.filter(province__code=62).values_list("code", "name"))
        for username, password, role, district in DEMO_USERS:
            area = "toàn quốc (/national/)" if district == NATIONAL else districts.get(district, "Kon Tum")
            self.stdout.write(f"  {username:18} {password:22} {role.label}, {area}")
