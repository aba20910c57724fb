"""A posting, a Party cell and a Party role lie within their commune's life, in the forms' services and the import."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase

from communes.models import Commune
from personnel import importing, services
from personnel.choices import Position
from tests.base import D, InEnglish, make_officer

REFORM = D(2025, 7, 1)
HEADER = "Số hiệu,Họ và tên,Giới tính,Cấp bậc,Xã,Chức vụ,Ngày bắt đầu,Ngày kết thúc\n"


class UnitLifeTests(InEnglish, TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("import_divisions", province=[62], verbosity=0)
        cls.mang_canh = Commune.objects.of_code(23470, D(2019, 4, 23))  # went into Xã Măng Đen on 01/07/2025
        cls.mang_den = Commune.objects.of_code(23473, REFORM)

    def start(self, commune, on):
        return services.posting_start(officer=make_officer(), commune=commune, position=Position.STANDING_OFFICER, on=on)

    def test_a_posting_starts_and_ends_within_its_communes_life(self):
        with self.assertRaises(ValidationError) as refused:
            self.start(self.mang_canh, REFORM)
        self.assertIn(f"A posting lies within its commune's life: {self.mang_canh.name} existed until 30/06/2025.",
                      " ".join(refused.exception.messages))
        with self.assertRaises(ValidationError) as refused:
            self.start(self.mang_den, D(2025, 6, 30))
        self.assertIn("Xã Măng Đen existed from 01/07/2025", " ".join(refused.exception.messages))
        posting = self.start(self.mang_canh, D(2019, 1, 2))  # open: it ends with its commune
        with self.assertRaises(ValidationError):
            services.posting_end(posting=posting, on=D(2025, 7, 15))
        services.posting_end(posting=posting, on=D(2025, 6, 30))
        self.assertEqual(self.start(self.mang_den, REFORM).commune, self.mang_den)

    def test_a_party_cell_lies_within_its_communes_life(self):
        with self.assertRaises(ValidationError) as refused:
            services.party_cell_establish(commune=self.mang_den, on=D(2025, 1, 1))
        self.assertIn("A Party cell lies within its commune's life", " ".join(refused.exception.messages))
        self.assertEqual(services.party_cell_establish(commune=self.mang_den, on=REFORM).commune, self.mang_den)

    def test_the_import_takes_the_unit_bearing_the_code_on_the_postings_first_day(self):
        content = (HEADER + "CA-1,Nguyễn Văn Một,Nam,Trung úy,23473,Công an viên thường trực,02/01/2019,\n"
                   "CA-2,Nguyễn Văn Hai,Nam,Trung úy,23473,Công an viên thường trực,01/08/2025,\n").encode()
        result = importing.postings_import(file=content, filename="a.csv", user=None, dry_run=False)
        self.assertEqual(result.errors, [])
        communes = dict(Commune.objects.filter(postings__officer__service_number__in=["CA-1", "CA-2"])
                        .values_list("postings__officer__service_number", "pk"))
        self.assertEqual(communes["CA-1"], Commune.objects.of_code(23473, D(2019, 1, 2)).pk)
        self.assertEqual(communes["CA-2"], self.mang_den.pk)

    def test_an_import_row_outside_its_communes_life_is_refused_and_nothing_is_written(self):
        content = (HEADER + "CA-3,Nguyễn Văn Ba,Nam,Trung úy,23470,Công an viên thường trực,02/01/2019,15/07/2025\n"
                   "CA-4,Nguyễn Văn Bốn,Nam,Trung úy,23473,Công an viên thường trực,02/01/2019,\n").encode()
        result = importing.postings_import(file=content, filename="b.csv", user=None, dry_run=False)
        self.assertEqual([(e.row, e.message) for e in result.errors],
                         [(2, f"A posting lies within its commune's life: {self.mang_canh.name} existed until 30/06/2025.")])
        self.assertFalse(Commune.objects.filter(postings__isnull=False).exists())
