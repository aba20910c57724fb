"""Roster updates: rows for officers already recorded import; their cells are checked against the record;
home units are matched in the row's province; messages say nothing about postings outside the user's area;
a dry run lists the rows it would write."""

import io

from django.core.management import call_command

from communes.models import Commune, District, Province
from personnel.choices import Position, Rank, UnitKind
from personnel.importing import postings_import
from personnel.models import Officer, Posting, Unit
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting
from tests.personnel.test_import import csv_bytes, row


class RosterUpdateTests(InEnglish, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.staff = Unit.objects.create(province=cls.province, name="Phòng Tham mưu", kind=UnitKind.DEPARTMENT)
        cls.other_province = Province.objects.create(code=9002, name="Tỉnh Khác")
        District.objects.create(code=9201, name="Huyện Khác", province=cls.other_province)
        cls.other_staff = Unit.objects.create(province=cls.other_province, name="Phòng Tham mưu", kind=UnitKind.DEPARTMENT)
        cls.known = make_officer("Lê Văn Cũ", service_number="OLD-1", rank=Rank.CAPTAIN, home_unit=cls.staff)
        make_posting(cls.known, cls.commune_a1, D(2018, 1, 1), D(2018, 6, 30))

    def run_import(self, content, user="admin", dry_run=False):
        user = self.admin if user == "admin" else user  # None: the command line's whole country
        return postings_import(file=content, filename="bo-tri.csv", user=user, dry_run=dry_run)

    def test_a_row_for_a_recorded_officer_adds_the_posting_to_that_officer(self):
        for dry_run in (True, False):
            result = self.run_import(csv_bytes([row("OLD-1", name="Lê Văn Cũ", gender="", rank="")]), dry_run=dry_run)
            self.assertEqual((result.errors, result.created_officers, result.created_postings), ([], 0, 1))
        self.assertEqual(Officer.objects.count(), 1)
        self.assertEqual(self.known.postings.count(), 2)

    def test_the_command_line_imports_a_roster_update(self):
        import tempfile
        from pathlib import Path

        path = Path(tempfile.mkdtemp()) / "bo-tri.csv"
        path.write_bytes(csv_bytes([row("old-1 ", name="Lê Văn Cũ", commune="90002", start="01/07/2018", rank="", gender="")]))
        call_command("import_postings", str(path), stdout=io.StringIO())
        self.assertEqual(self.known.postings.count(), 2)

    def test_a_recorded_officers_cells_that_disagree_with_the_record_are_reported(self):
        result = self.run_import(csv_bytes([row("OLD-1", name="Lê Văn Cũ", rank="Trung úy", **{"Đơn vị": "Phòng Tham mưu"})]))
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "Cấp bậc")])
        self.assertIn("“Captain”", result.errors[0].message)
        self.assertEqual(Posting.objects.count(), 1)

    def test_a_home_unit_is_matched_in_the_communes_province_only(self):
        result = self.run_import(csv_bytes([row("S-1", **{"Đơn vị": "Phòng Tham mưu"})]), user=None)
        self.assertEqual(result.errors, [])
        self.assertEqual(Officer.objects.get(service_number="S-1").home_unit, self.staff)
        other = Commune.objects.create(code=92001, name="Xã Khác", district=self.other_province.districts.get())
        result = self.run_import(csv_bytes([row("S-2", commune="92001", **{"Đơn vị": "Phòng Tham mưu"})]), user=None)
        self.assertEqual(result.errors, [])
        self.assertEqual(Officer.objects.get(service_number="S-2").home_unit, self.other_staff)
        self.assertEqual(other.postings.count(), 1)

    def test_a_clash_with_a_posting_outside_the_users_area_names_nothing_of_it(self):
        # The officer served in the editor's district, and now serves in the other one.
        make_posting(self.known, self.commune_b1, D(2020, 6, 30))
        result = self.run_import(csv_bytes([row("OLD-1", name="Lê Văn Cũ", commune="90002", start="01/01/2021", rank="")]), user=self.editor)
        self.assertEqual(len(result.errors), 1)
        message = result.errors[0].message
        self.assertEqual(message, "This service number belongs to an officer outside the area you may change.")
        for secret in ("30/06/2020", "still open", self.commune_b1.name, "Standing officer"):
            self.assertNotIn(secret, message)
        # The province administrator sees that posting, and is told which it is.
        result = self.run_import(csv_bytes([row("OLD-1", name="Lê Văn Cũ", commune="90002", start="01/01/2021", rank="")]))
        self.assertIn("30/06/2020, still open", result.errors[0].message)

    def test_a_dry_run_lists_the_rows_it_would_write(self):
        from communes.models import CommuneChange

        CommuneChange.objects.create(commune=self.commune_a2, effective_on=D(2019, 9, 1), previous_name="Xã Cũ Tên",
                                     previous_kind=self.commune_a2.kind)
        result = self.run_import(csv_bytes([
            row("OLD-1", name="Lê Văn Cũ", commune="90002", start="01/07/2019", end="31/08/2019", rank=""),
            row("S-9", name="Y Bình", commune="90002", start="01/10/2019", position="Trưởng"),
        ]), dry_run=True)
        self.assertEqual(result.errors, [])
        self.assertEqual([(p.row, p.service_number, p.new_officer, p.commune, p.position, p.start_date, p.end_date)
                          for p in result.planned], [
            (2, "OLD-1", False, "Xã Cũ Tên", "Standing officer", D(2019, 7, 1), D(2019, 8, 31)),
            (3, "S-9", True, "Xã Mường Hoong", str(Position.CHIEF.label), D(2019, 10, 1), None),
        ])
        self.assertEqual(result.more_rows, 0)
