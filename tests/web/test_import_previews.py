"""Import previews wait in the database for their owner's confirm: usable by no one else, from any app
server, deleted on confirm, on logout and on expiry; the preview lists the rows it will write."""

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from personnel.models import ImportPreview, Posting
from tests.base import D, InEnglish, SmallProvinceTestCase, make_officer, make_posting
from tests.personnel.test_import import csv_bytes, row


class ImportPreviewTests(InEnglish, SmallProvinceTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def client_for(self, user) -> Client:
        """Another browser (or another app server's session): nothing shared with self.client but the database."""
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user)
        return client

    def preview(self, rows, client=None):
        upload = SimpleUploadedFile("bo-tri.csv", csv_bytes(rows))
        response = (client or self.client).post(reverse("manage:import"), {"file": upload, "action": "preview"})
        self.assertEqual(response.status_code, 200)
        return response

    def confirm(self, token, client=None):
        return (client or self.client).post(reverse("manage:import"), {"token": token, "action": "import"})

    def test_a_preview_is_kept_in_the_database_not_on_disk(self):
        before = set((Path(settings.BASE_DIR) / "var" / "imports").glob("*"))
        token = self.preview([row("S-1")]).context["token"]
        preview = ImportPreview.objects.get()
        self.assertEqual((preview.owner, preview.token, preview.filename), (self.admin, token, "bo-tri.csv"))
        self.assertEqual(bytes(preview.content), csv_bytes([row("S-1")]))
        self.assertEqual(set((Path(settings.BASE_DIR) / "var" / "imports").glob("*")), before)

    def test_the_confirm_works_from_another_session_and_deletes_the_preview(self):
        token = self.preview([row("S-1")]).context["token"]
        elsewhere = self.client_for(self.admin)
        self.assertRedirects(self.confirm(token, elsewhere), reverse("manage:recent_changes"))
        self.assertEqual(Posting.objects.count(), 1)
        self.assertFalse(ImportPreview.objects.exists())
        response = self.confirm(token)
        self.assertContains(response, "no longer waiting")
        self.assertEqual(Posting.objects.count(), 1)

    def test_another_user_cannot_confirm_someone_elses_preview(self):
        token = self.preview([row("S-1")]).context["token"]
        other = self.client_for(self.editor)
        response = self.confirm(token, other)
        self.assertContains(response, "no longer waiting")
        self.assertEqual(Posting.objects.count(), 0)
        self.assertTrue(ImportPreview.objects.exists())

    def test_logging_out_deletes_the_users_previews(self):
        self.preview([row("S-1")])
        self.client.post(reverse("logout"))
        self.assertFalse(ImportPreview.objects.exists())

    def test_an_expired_preview_cannot_be_confirmed_and_is_purged(self):
        token = self.preview([row("S-1")]).context["token"]
        ImportPreview.objects.update(expires=timezone.now() - datetime.timedelta(seconds=1))
        self.assertContains(self.confirm(token), "no longer waiting")
        self.assertEqual(Posting.objects.count(), 0)
        self.assertFalse(ImportPreview.objects.exists())  # the import request cleaned it up

    def test_the_purge_command_deletes_expired_previews_only(self):
        self.preview([row("S-1")])
        editor = self.client_for(self.editor)
        self.preview([row("S-2")], editor)
        self.assertEqual(ImportPreview.objects.count(), 2)
        ImportPreview.objects.filter(owner=self.admin).update(expires=timezone.now() - datetime.timedelta(seconds=1))
        out = io.StringIO()
        call_command("purge_import_previews", stdout=out)
        self.assertIn("1", out.getvalue())
        self.assertEqual(ImportPreview.objects.count(), 1)

    def test_a_changed_file_is_not_imported(self):
        token = self.preview([row("S-1")]).context["token"]
        ImportPreview.objects.update(content=csv_bytes([row("S-666")]))
        self.assertContains(self.confirm(token), "no longer waiting")
        self.assertEqual(Posting.objects.count(), 0)

    def test_the_preview_lists_the_rows_it_will_write(self):
        make_posting(make_officer("Lê Văn Cũ", service_number="OLD-1"), self.commune_a1, D(2018, 1, 1), D(2018, 6, 30))
        response = self.preview([row("OLD-1", name="Lê Văn Cũ", rank=""), row("S-2", name="Y Bình", commune="90002")])
        self.assertContains(response, "Lê Văn Cũ")
        self.assertContains(response, "recorded")
        self.assertContains(response, "new officer")
        self.assertContains(response, "Xã Mường Hoong")
        self.assertContains(response, "02/01/2019")

    @override_settings(IMPORT_MAX_ROWS=30)
    def test_a_long_preview_says_how_many_more_rows(self):
        from personnel.importing import check

        rows = [row(f"S-{i}", start="02/01/2019", end="02/01/2019") for i in range(25)]
        original = check.PREVIEW_ROWS
        check.PREVIEW_ROWS = 10
        try:
            response = self.preview(rows)
        finally:
            check.PREVIEW_ROWS = original
        self.assertContains(response, "and 15 more rows")
