"""Recording the next change after the packaged data: a xã becoming a phường (as ten of Đồng Nai did in April
2026), a merge and a split on a day by an act, all rows or none, from a file too; the staff carried afterwards;
the divisions import leaves what was recorded."""

from __future__ import annotations

import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from communes.changes import ChangeRow, record_changes
from communes.choices import CommuneKind
from communes.lookup import former_name_hits
from communes.models import Commune, CommuneChange, CommuneLineage, Province
from personnel import reorganisation
from personnel.choices import Position
from personnel.models import Posting
from tests.base import D, InEnglish, make_officer, make_posting

REFORM, CHANGE = D(2025, 7, 1), D(2026, 4, 15)
ACT = "237/NQ-UBTVQH16"


def row(number, old, new, name, kind="phường", day="15/04/2026", act=ACT) -> ChangeRow:
    return ChangeRow(number, str(old), str(new), name, kind, day, act)


class RecordedChangesTests(InEnglish, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.province = Province.objects.create(code=9075, name="Tỉnh Thử Mới", established_on=REFORM)
        cls.tan, cls.an, cls.binh = (Commune.objects.create(code=code, name=name, province=cls.province, established_on=REFORM)
                                     for code, name in ((26001, "Xã Tân Mới"), (26002, "Xã An"), (26003, "Xã Bình")))
        cls.tan_officer = make_officer("Trần Văn Tân")
        make_posting(cls.tan_officer, cls.tan, REFORM, position=Position.CHIEF)
        make_posting(make_officer("Lê Văn An"), cls.an, REFORM, position=Position.CHIEF)
        make_posting(make_officer("Đỗ Văn Bình"), cls.binh, REFORM, position=Position.CHIEF)

    def test_a_xa_becomes_a_phuong_and_keeps_its_identity_and_its_staff(self):
        result = record_changes([row(1, 26001, 26001, "Phường Tân Mới")])
        self.assertEqual((result.errors, result.renamed, result.created), ([], 1, 0))
        before = Commune.objects.with_state_on(D(2026, 4, 14)).get(pk=self.tan.pk)
        after = Commune.objects.with_state_on(CHANGE).get(pk=self.tan.pk)
        self.assertEqual((before.name_on, before.kind_on), ("Xã Tân Mới", CommuneKind.COMMUNE))
        self.assertEqual((after.name_on, after.kind_on), ("Phường Tân Mới", CommuneKind.WARD))
        self.assertEqual(CommuneChange.objects.get(commune=self.tan).legal_basis, ACT)
        self.assertIn(self.tan.pk, former_name_hits("Tân Mới"))
        self.assertEqual(Posting.objects.open_on(CHANGE).get(commune=self.tan).officer, self.tan_officer)  # nothing to carry

    def test_a_merge_ends_the_old_units_and_the_staff_are_carried(self):
        result = record_changes([row(1, 26002, 26002, "Phường An Bình"), row(2, 26003, 26002, "Phường An Bình")])
        self.assertEqual((result.errors, result.created, result.ended), ([], 1, 2))
        merged = Commune.objects.of_code(26002, CHANGE)
        self.assertNotEqual(merged.pk, self.an.pk)  # a new unit reusing a predecessor's code
        self.assertEqual((merged.name, merged.kind, merged.established_on), ("Phường An Bình", CommuneKind.WARD, CHANGE))
        self.assertEqual(set(Commune.objects.filter(pk__in=[self.an.pk, self.binh.pk]).values_list("abolished_on", flat=True)), {CHANGE})
        self.assertEqual(set(CommuneLineage.objects.filter(successor=merged).values_list("predecessor", "whole")),
                         {(self.an.pk, True), (self.binh.pk, True)})
        proposal = reorganisation.propose(province=self.province, effective_on=CHANGE, legal_basis=ACT)
        reorganisation.apply(proposal)
        held = Posting.objects.open_on(CHANGE).filter(commune=merged)
        self.assertEqual(held.count(), 2)
        self.assertEqual(held.filter(position=Position.CHIEF).get().officer.full_name, "Lê Văn An")  # code kept: 26002

    def test_a_split_links_each_part_and_needs_a_choice_per_officer(self):
        result = record_changes([row(1, 26003, 26003, "Phường Bình Một"), row(2, 26003, 26009, "Phường Bình Hai")])
        self.assertEqual((result.errors, result.created, result.ended), ([], 2, 1))
        parts = CommuneLineage.objects.filter(predecessor=self.binh)
        self.assertEqual(sorted(parts.values_list("successor__code", "whole")), [(26003, False), (26009, False)])
        self.assertFalse(reorganisation.propose(province=self.province, effective_on=CHANGE, legal_basis=ACT).ready)

    def test_one_bad_row_writes_nothing_and_every_bad_row_is_listed(self):
        counts = Commune.objects.count(), CommuneChange.objects.count()
        result = record_changes([
            row(1, 26001, 26001, "Phường Tân Mới"),
            row(2, 99999, 99999, "Phường Không Có"),
            row(3, 26002, 26002, "Phường An", kind="quận", day="31/02/2026"),
            row(4, 26003, 26002, "Phường Bình"),  # Xã An goes on: its code is taken
        ])
        self.assertEqual([number for number, _message in result.errors], [2, 3, 4])
        self.assertIn("99999", result.errors[0][1])
        self.assertIn("dd/mm/yyyy", result.errors[1][1])
        self.assertIn("HTML", record_changes([row(1, 26001, 26001, "Phường <b>Tân</b>")]).errors[0][1])
        self.assertEqual((Commune.objects.count(), CommuneChange.objects.count()), counts)

    def test_changes_are_recorded_in_date_order(self):
        record_changes([row(1, 26001, 26001, "Phường Tân Mới")])
        late = record_changes([row(1, 26001, 26001, "Thị trấn Tân Mới", kind="thị trấn", day="01/03/2026")])
        self.assertEqual(len(late.errors), 1)
        self.assertIn("date order", late.errors[0][1])

    def test_from_a_file(self):
        directory = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, directory, True)
        path = directory / "changes.csv"
        path.write_text("Mã cũ,Mã mới,Tên,Loại,Ngày,Văn bản\n26001,26001,Phường Tân Mới,phường,15/04/2026,237/NQ-UBTVQH16\n",
                        encoding="utf-8-sig")
        out = StringIO()
        call_command("record_changes", str(path), "--dry-run", stdout=out)
        self.assertIn("would record: 1 renamed", out.getvalue())
        self.assertEqual(CommuneChange.objects.count(), 0)
        call_command("record_changes", str(path), stdout=out)
        self.assertEqual(Commune.objects.get(pk=self.tan.pk).name, "Phường Tân Mới")
        path.write_text("26001,x,Phường,phường,15/04/2026,\n", encoding="utf-8")
        with self.assertRaises(CommandError):
            call_command("record_changes", str(path), stdout=out, stderr=StringIO())


class TheDivisionsImportKeepsRecordedChangesTests(TestCase):
    def test_importing_the_package_again_leaves_a_recorded_change(self):
        call_command("import_divisions", province=[62], verbosity=0)
        self.assertEqual(record_changes([row(1, 23473, 23473, "Phường Măng Đen")]).errors, [])
        call_command("import_divisions", province=[62], verbosity=0)
        mang_den = Commune.objects.of_code(23473, CHANGE)
        self.assertEqual((mang_den.name, mang_den.kind), ("Phường Măng Đen", CommuneKind.WARD))
        self.assertEqual(Commune.objects.with_state_on(REFORM).get(pk=mang_den.pk).name_on, "Xã Măng Đen")


class RecordChangesScreenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from django.contrib.auth import get_user_model

        from personnel.choices import Role
        from personnel.models import UserProfile

        cls.province = Province.objects.create(code=9075, name="Tỉnh Thử Mới", established_on=REFORM)
        cls.tan = Commune.objects.create(code=26001, name="Xã Tân Mới", province=cls.province, established_on=REFORM)
        users = get_user_model().objects
        cls.national = users.create_user("qt.quoc", password="pw-qt-quoc-1")
        UserProfile.objects.create(user=cls.national, role=Role.PROVINCE_ADMIN, province=None)
        cls.provincial = users.create_user("qt.tinh", password="pw-qt-tinh-1")
        UserProfile.objects.create(user=cls.provincial, role=Role.PROVINCE_ADMIN, province=cls.province)

    def test_national_administrators_check_then_record_a_change_on_the_screen(self):
        self.client.force_login(self.national)
        line = "26001,26001,Phường Tân Mới,phường,15/04/2026,237/NQ-UBTVQH16"
        checked = self.client.post("/manage/reorganisation/changes/", {"rows": line, "action": "check"})
        self.assertContains(checked, 'id="change-check"')
        self.assertEqual(Commune.objects.get(pk=self.tan.pk).name, "Xã Tân Mới")  # nothing written yet
        bad = self.client.post("/manage/reorganisation/changes/", {"rows": line + "\n1,2,<b>x</b>,quận,1/1/1,", "action": "record"})
        self.assertContains(bad, 'id="change-errors"')
        self.assertNotContains(bad, "<b>x</b>")  # escaped
        self.assertEqual(Commune.objects.get(pk=self.tan.pk).name, "Xã Tân Mới")
        self.client.post("/manage/reorganisation/changes/", {"rows": line, "action": "record"})
        self.assertEqual(Commune.objects.get(pk=self.tan.pk).name, "Phường Tân Mới")

    def test_a_province_administrator_may_not_record_changes(self):
        self.client.force_login(self.provincial)
        self.assertEqual(self.client.get("/manage/reorganisation/changes/").status_code, 403)
        self.assertEqual(self.client.get("/manage/reorganisation/").status_code, 200)


class DongNai2026Tests(InEnglish, TestCase):
    """The ten xã of Đồng Nai that became phường on 30/04/2026 (Nghị quyết 237/NQ-UBTVQH16), recorded from the
    file the demo records, on the real units."""

    FILE = Path(__file__).resolve().parents[2] / "communes" / "data" / "changes-2026.csv"

    @classmethod
    def setUpTestData(cls):
        call_command("import_divisions", province=[75], verbosity=0)

    def wards(self, day) -> set[int]:
        dong_nai = Province.objects.of_code(75, day)
        rows = Commune.objects.filter(province=dong_nai).existing_on(day).with_state_on(day)
        return {c.code for c in rows if c.kind_on == CommuneKind.WARD}

    def test_ten_xa_become_phuong_on_30_04_2026_and_again_changes_nothing(self):
        out = StringIO()
        before, on_the_eve = self.wards(D(2026, 4, 30)), self.wards(D(2026, 4, 29))
        self.assertEqual(before, on_the_eve)
        call_command("record_changes", str(self.FILE), stdout=out)
        self.assertIn("recorded: 10 renamed", out.getvalue())
        ten = self.wards(D(2026, 4, 30)) - self.wards(D(2026, 4, 29))
        self.assertEqual(len(ten), 10)
        trang_bom = Commune.objects.of_code(26248, D(2026, 4, 30))
        self.assertEqual((trang_bom.name, trang_bom.kind), ("Phường Trảng Bom", CommuneKind.WARD))
        self.assertEqual(Commune.objects.with_state_on(D(2026, 4, 29)).get(pk=trang_bom.pk).name_on, "Xã Trảng Bom")
        self.assertEqual(CommuneChange.objects.get(commune=trang_bom).legal_basis, "Nghị quyết 237/NQ-UBTVQH16")
        counts = CommuneChange.objects.count(), Commune.objects.count()
        call_command("record_changes", str(self.FILE), stdout=out)
        self.assertIn("10 row(s) recorded before", out.getvalue())
        self.assertEqual((CommuneChange.objects.count(), Commune.objects.count()), counts)
        call_command("import_divisions", province=[75], verbosity=0)  # the package again: the change stays
        self.assertEqual(self.wards(D(2026, 4, 30)) - self.wards(D(2026, 4, 29)), ten)

    def test_the_change_shows_on_the_national_page_from_its_day(self):
        from django.contrib.auth import get_user_model

        from personnel.choices import Role
        from personnel.models import UserProfile

        viewer = get_user_model().objects.create_user("toan.quoc", password="pw-toan-quoc-1")
        UserProfile.objects.create(user=viewer, role=Role.VIEWER, province=None)
        self.client.force_login(viewer)
        call_command("record_changes", str(self.FILE), stdout=StringIO())

        def dong_nai(day):
            lines = self.client.get("/national/", {"as_of": day}).context["lines"]
            return next(u for row, u in lines if row.province.code == 75)

        before, after = dong_nai("2026-04-29"), dong_nai("2026-04-30")
        self.assertEqual((after.wards - before.wards, before.communes - after.communes), (10, 10))
        self.assertEqual(after.units, before.units)
        self.assertContains(self.client.get("/national/", {"as_of": "2026-04-30"}), f"{after.wards} phường")
