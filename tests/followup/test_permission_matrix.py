"""The permission matrix of the follow-up pages, walked like tests/access/test_permission_matrix.py: every role ×
every followup URL × a record in the user's area and one outside it. A followup URL added without a row here
fails `test_the_matrix_names_every_followup_url`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import get_resolver, reverse

from communes.models import Commune, District, Province
from personnel.choices import Role
from personnel.models import UserProfile
from personnel.support import support_assign
from tests.base import D
from tests.followup.base import FollowupTestCase
from tests.lean import UnrecordedTemplates

LOGIN, FORBIDDEN, NOT_FOUND, OK = "login", "403", "404", "200"
# URL name -> what it acts on ("" for a page of its own); whether viewers may read it.
URLS = {"entries": ("", True), "entry": ("entry", True), "entry_add": ("", False), "entry_edit": ("entry", False),
        "entry_state": ("entry", False), "support_add": ("", False), "support_end": ("assignment", False)}
ROLES = ["anonymous", "viewer", "district_editor", "province_admin", "national_admin"]


def expected(role: str, name: str, side: str) -> str:
    on, readable = URLS[name]
    if role == "anonymous":
        return LOGIN
    if role == "viewer" and not readable:
        return FORBIDDEN
    if not on or role == "national_admin":
        return OK
    return OK if side == "in" else NOT_FOUND


class FollowupPermissionMatrixTests(UnrecordedTemplates, FollowupTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        other_province = Province.objects.create(code=9002, name="Tỉnh Khác")
        other_commune = Commune.objects.create(code=90101, name="Xã Khác",
                                               district=District.objects.create(code=9201, name="Huyện Khác", province=other_province))
        cls.records = {
            "in": {"entry": cls.record(cls.commune_a1),
                   "assignment": support_assign(unit=cls.department, commune=cls.commune_a1, start=D(2019, 1, 1))},
            "out": {"entry": cls.record(other_commune),
                    "assignment": support_assign(unit=cls.department, commune=other_commune, start=D(2019, 1, 1))},
        }
        # The district editor's "out" is the other province; another district of theirs is tested in test_views.
        User = get_user_model()
        cls.national_viewer = User.objects.create_user("toanquoc", password="pw-toanquoc-123")
        UserProfile.objects.create(user=cls.national_viewer, role=Role.VIEWER, province=None)

    def user(self, role):
        return {"viewer": self.viewer, "district_editor": self.editor, "province_admin": self.admin,
                "national_admin": self.national_admin}.get(role)

    def url(self, name, side):
        on, _readable = URLS[name]
        return reverse(f"followup:{name}", args=[self.records[side][on].pk] if on else [])

    def outcome(self, response) -> str:
        if response.status_code == 302 and "/accounts/login/" in response.headers["Location"]:
            return LOGIN
        return str(response.status_code)

    def test_the_matrix_names_every_followup_url(self):
        resolver = get_resolver().namespace_dict["followup"][1]
        self.assertEqual({p.name for p in resolver.url_patterns}, set(URLS))

    def test_every_role_gets_what_the_matrix_says_on_every_url_in_and_out_of_scope(self):
        for role in ROLES:
            self.client.logout()
            if self.user(role) is not None:
                self.client.force_login(self.user(role))
            for name in URLS:
                for side in ("in", "out"):
                    with self.subTest(role=role, url=name, side=side):
                        got = self.outcome(self.client.get(self.url(name, side)))
                        self.assertEqual(got, expected(role, name, side))
                        if got != OK:  # a refused GET is refused as a POST too
                            self.assertEqual(self.outcome(self.client.post(self.url(name, side), {})), got)

    def test_a_national_viewer_reads_but_does_not_write(self):
        self.client.force_login(self.national_viewer)
        self.assertEqual(self.client.get(self.url("entries", "out")).status_code, 200)
        self.assertEqual(self.client.get(self.url("entry_add", "in")).status_code, 403)
