"""The parts of an administrative document that follow Decree 30/2020/NĐ-CP."""

import datetime

from django.test import SimpleTestCase

from communes.choices import ProvinceKind
from communes.models import Province
from reports.data import Issuer, document_date


class DocumentFormTests(SimpleTestCase):
    def test_days_below_ten_and_months_one_and_two_take_a_leading_zero(self):
        self.assertEqual(document_date(datetime.date(2019, 4, 23)), "ngày 23 tháng 4 năm 2019")
        self.assertEqual(document_date(datetime.date(2019, 2, 5)), "ngày 05 tháng 02 năm 2019")
        self.assertEqual(document_date(datetime.date(2019, 12, 1)), "ngày 01 tháng 12 năm 2019")

    def test_the_issuing_body_comes_from_the_province(self):
        issuer = Issuer.for_province(Province(code=62, name="Tỉnh Kon Tum"))
        self.assertEqual((issuer.parent, issuer.name, issuer.abbreviation, issuer.place),
                         ("BỘ CÔNG AN", "CÔNG AN TỈNH KON TUM", "CAT", "Kon Tum"))
        self.assertEqual(issuer.name_in_text, "Công an tỉnh Kon Tum")

    def test_a_centrally_run_city_is_numbered_catp(self):
        issuer = Issuer.for_province(Province(code=1, name="Thành phố Hà Nội", kind=ProvinceKind.CITY))
        self.assertEqual((issuer.name, issuer.abbreviation, issuer.place), ("CÔNG AN THÀNH PHỐ HÀ NỘI", "CATP", "Hà Nội"))
