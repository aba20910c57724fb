"""The permission matrix of docs/production.md, walked: every role × every data-entry and user-management
URL (and the Django admin) × a record in the user's area and one outside it. A /manage/ URL added without
a row here fails `test_the_matrix_names_every_manage_url`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import get_resolver, reverse

from communes.models import Commune, District, PartyCell, Province
from personnel.choices import PartyRoleKind, Position, Role
from personnel.models import Correction, PartyRole, Reorganisation, UserProfile
from tests.base import D, SmallProvinceTestCase, make_officer, make_posting
from tests.lean import UnrecordedTemplates

LOGIN, FORBIDDEN, NOT_FOUND, OK = "login", "403", "404", "200"

# URL name -> what it acts on ("" for a page of its own). Data entry, then user administration.
DATA_ENTRY = {
    "index": "", "officer_add": "", "posting_assign": "", "partyrole_appoint": "", "partycell_establish": "",
    "recent_changes": "", "import": "", "import_template": "fmt",
    "officer": "officer", "officer_edit": "officer", "officer_change": "officer", "posting_transfer": "posting", "posting_end": "posting",
    "partyrole_end": "role", "partycell_dissolve": "cell", "commune": "commune", "history": "history",
    "correct": "correct", "corrections": "", "correction_undo": "correction",
}
USER_ADMIN = {"users": "", "user_add": "", "access_log": "", "user_edit": "account", "user_password": "account",
              # Reorganisations: administrators; recording a change of units: national ones; undo is POST only.
              "reorganisation": "", "record_changes": "", "reorganisation_undo": "reorganisation"}
NOT_ALLOWED = "405"
ROLES = ["anonymous", "viewer", "district_editor", "province_admin", "national_viewer", "national_admin"]


def expected(role: str, name: str, side: str) -> str:
    """The matrix: `side` is "in" (a record in the role's area) or "out" (another province's)."""
    if role == "anonymous":
        return LOGIN
    if role in ("viewer", "national_viewer"):
        return FORBIDDEN
    on = DATA_ENTRY.get(name, USER_ADMIN.get(name))
    if name in USER_ADMIN and role == "district_editor":
        return FORBIDDEN
    if name == "record_changes":
        return OK if role == "national_admin" else FORBIDDEN
    if name in ("reorganisation_undo", "correction_undo"):
        return NOT_ALLOWED  # POST only; the POST's scope: test_undo_of_a_correction_is_scoped  # a GET does nothing; the POST's scope: test_undo_is_scoped
    if not on or on == "fmt" or role == "national_admin":
        return OK
    return OK if side == "in" else NOT_FOUND


class PermissionMatrixTests(UnrecordedTemplates, SmallProvinceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        User = get_user_model()
        cls.other_province = Province.objects.create(code=9002, name="Tỉnh Khác")
        other_district = District.objects.create(code=9201, name="Huyện Khác", province=cls.other_province)
        cls.other_commune = Commune.objects.create(code=90101, name="Xã Khác", district=other_district)
        cls.records = {"in": cls._records(cls.commune_a1, "A"), "out": cls._records(cls.other_commune, "X")}
        cls.records["in"]["account"] = User.objects.create_user("thu.ky", password="pw-thu-ky-123")
        UserProfile.objects.create(user=cls.records["in"]["account"], role=Role.VIEWER, province=cls.province) \
            .districts.set([cls.district_a])
        cls.records["out"]["account"] = User.objects.create_user("ngoai.tinh", password="pw-ngoai-123")
        UserProfile.objects.create(user=cls.records["out"]["account"], role=Role.EDITOR, province=cls.other_province)
        cls.records["in"]["reorganisation"] = Reorganisation.objects.create(
            province=cls.province, effective_on=D(2025, 7, 1), legal_basis="1/NQ")
        cls.records["out"]["reorganisation"] = Reorganisation.objects.create(
            province=cls.other_province, effective_on=D(2025, 7, 1), legal_basis="2/NQ")
        cls.national_viewer = User.objects.create_user("toanquoc", password="pw-toanquoc-123")
        UserProfile.objects.create(user=cls.national_viewer, role=Role.VIEWER, province=None)

    @classmethod
    def _records(cls, commune, tag):
        officer = make_officer(f"Cán Bộ {tag}")
        posting = make_posting(officer, commune, D(2019, 1, 1), position=Position.CHIEF)
        cell = PartyCell.objects.create(commune=commune, established_on=D(2019, 2, 1))
        role = PartyRole.objects.create(officer=officer, commune=commune, cell=cell,
                                        role=PartyRoleKind.CELL_SECRETARY, start_date=D(2019, 2, 1))
        correction = Correction.objects.create(kind=Correction.Kind.CORRECTED, model="posting", object_id=posting.pk,
                                               label=str(posting), commune=commune, officer=officer, reason="test",
                                               before={"decision_number": "1"}, after={"decision_number": ""})
        return {"officer": officer, "posting": posting, "cell": cell, "role": role, "commune": commune,
                "correction": correction}

    def user(self, role):
        return {"viewer": self.viewer, "district_editor": self.editor, "province_admin": self.admin,
                "national_viewer": self.national_viewer, "national_admin": self.national_admin}.get(role)

    def url(self, name, side):
        on, rec = {**DATA_ENTRY, **USER_ADMIN}[name], self.records[side]
        if not on:
            return reverse(f"manage:{name}")
        if on == "fmt":
            return reverse(f"manage:{name}", args=["csv"])
        if on == "history":
            return reverse("manage:history", args=["officer", rec["officer"].pk])
        if on == "correct":
            return reverse("manage:correct", args=["posting", rec["posting"].pk])
        if on == "commune":
            return reverse(f"manage:{name}", args=[rec["commune"].code])
        return reverse(f"manage:{name}", args=[rec[on].pk])

    def outcome(self, response) -> str:
        if response.status_code == 302 and "/accounts/login/" in response.headers["Location"]:
            return LOGIN
        return str(response.status_code)

    def test_the_matrix_names_every_manage_url(self):
        resolver = get_resolver().namespace_dict["manage"][1]
        names = {p.name for p in resolver.url_patterns}
        self.assertEqual(names, set(DATA_ENTRY) | set(USER_ADMIN))

    def test_every_role_gets_what_the_matrix_says_on_every_url_in_and_out_of_scope(self):
        for role in ROLES:
            user = self.user(role)
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for name in [*DATA_ENTRY, *USER_ADMIN]:
                for side in ("in", "out"):
                    with self.subTest(role=role, url=name, side=side):
                        got = self.outcome(self.client.get(self.url(name, side)))
                        self.assertEqual(got, expected(role, name, side))
                        if got not in (OK, NOT_ALLOWED):  # a refused GET is refused as a POST too, and writes nothing
                            self.assertEqual(self.outcome(self.client.post(self.url(name, side), {})), got)

    def test_undo_is_scoped(self):
        self.client.force_login(self.admin)
        other = self.records["out"]["reorganisation"]
        self.assertEqual(self.client.post(reverse("manage:reorganisation_undo", args=[other.pk])).status_code, 404)
        other.refresh_from_db()
        self.assertIsNone(other.undone_at)

    def test_undo_of_a_correction_is_scoped(self):
        self.client.force_login(self.editor)
        other = self.records["out"]["correction"]
        response = self.client.post(reverse("manage:correction_undo", args=[other.pk]), {"reason": "not mine"})
        self.assertIn(response.status_code, (403, 404))
        self.assertFalse(Correction.objects.filter(undoes=other).exists())

    def test_only_the_national_administrator_opens_the_django_admin(self):
        for role in ROLES:
            user = self.user(role)
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            with self.subTest(role=role):
                response = self.client.get(reverse("admin:personnel_officer_changelist"))
                if role == "national_admin":
                    self.assertEqual(response.status_code, 200)
                else:
                    self.assertEqual(response.status_code, 302)  # to a login page: the app's or the admin's
                    self.assertIn("/login/", response.headers["Location"])

    def test_no_administrator_reaches_their_own_account_or_a_superuser(self):
        for user in (self.admin, self.national_admin):
            self.client.force_login(user)
            for target in (user, self.national_admin):
                for name in ("manage:user_edit", "manage:user_password"):
                    with self.subTest(user=user.username, target=target.username, url=name):
                        self.assertEqual(self.client.get(reverse(name, args=[target.pk])).status_code, 404)
