"""One scope for every list, page, export and report."""

from django.contrib.auth import get_user_model

from communes.models import Commune, District, PartyCell, Province
from personnel.access import scope_for, scoped
from personnel.models import Officer, Posting, Unit
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting


class ScopeTests(SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_province = Province.objects.create(code=9002, name="Tỉnh Khác")
        other_district = District.objects.create(code=9201, name="Huyện Khác", province=cls.other_province)
        cls.other_commune = Commune.objects.create(code=90101, name="Xã Khác", district=other_district)
        cls.officer_a = make_officer("Nguyễn Văn A")
        cls.officer_b = make_officer("Trần Văn B")
        cls.officer_other = make_officer("Lê Văn C")
        make_posting(cls.officer_a, cls.commune_a1, D(2019, 1, 1))
        make_posting(cls.officer_b, cls.commune_b1, D(2019, 1, 1))
        make_posting(cls.officer_other, cls.other_commune, D(2019, 1, 1))
        PartyCell.objects.create(commune=cls.commune_b1, established_on=D(2019, 2, 1))
        cls.stranger = get_user_model().objects.create_user("stranger", password="pw-stranger-1")

    def test_a_province_user_sees_the_province_and_nothing_else(self):
        self.assertEqual(set(scoped(Province.objects.all(), self.viewer)), {self.province})
        self.assertEqual(set(Posting.objects.for_user(self.viewer).values_list("officer__full_name", flat=True)),
                         {"Nguyễn Văn A", "Trần Văn B"})
        self.assertEqual(scoped(Commune.objects.all(), self.viewer).count(), 4)

    def test_a_district_editor_sees_only_the_district(self):
        self.assertEqual(list(scoped(District.objects.all(), self.editor)), [self.district_a])
        self.assertEqual(list(Officer.objects.for_user(self.editor)), [self.officer_a])
        self.assertEqual(scoped(PartyCell.objects.all(), self.editor).count(), 0)
        self.assertTrue(scope_for(self.editor).allows_commune(self.commune_a1))
        self.assertFalse(scope_for(self.editor).allows_commune(self.commune_b1))

    def test_a_user_without_a_profile_sees_nothing(self):
        self.assertFalse(scoped(Commune.objects.all(), self.stranger).exists())
        self.assertFalse(Officer.objects.for_user(self.stranger).exists())
        self.assertFalse(scoped(Unit.objects.all(), self.stranger).exists())
        self.assertFalse(scope_for(self.stranger).can_edit)

    def test_only_editors_and_admins_may_write(self):
        self.assertEqual(
            [scope_for(u).can_edit for u in (self.viewer, self.editor, self.admin)], [False, True, True]
        )

    def test_a_superuser_without_a_profile_has_national_scope(self):
        root = get_user_model().objects.create_superuser("root", password="pw-root-123")
        self.assertEqual(scoped(Commune.objects.all(), root).count(), 5)
