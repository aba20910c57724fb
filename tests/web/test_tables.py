"""Every sortable column of every table sorts (both ways) and the page renders."""

from __future__ import annotations

from django.urls import reverse

from personnel.web.tables import (
    CommuneTable,
    OfficerTable,
    PartyRoleTable,
    PostingTable,
)
from tests.web.test_browsing_views import BrowsingTestCase


class TableSmokeTests(BrowsingTestCase):
    def test_every_sortable_column_sorts_and_renders(self):
        self.client.force_login(self.viewer)
        for url_name, table_class in [
            ("officer_list", OfficerTable),
            ("posting_list", PostingTable),
            ("partyrole_list", PartyRoleTable),
            ("commune_list", CommuneTable),
        ]:
            columns = [name for name, column in table_class.base_columns.items() if column.orderable is not False]
            self.assertTrue(columns)
            for name in columns:
                for sort in (name, f"-{name}"):
                    with self.subTest(table=table_class.__name__, sort=sort):
                        response = self.client.get(reverse(url_name), {"sort": sort, "as_of": "2019-04-23"})
                        self.assertEqual(response.status_code, 200)
                        self.assertGreater(response.context["table"].paginator.count, 0)
