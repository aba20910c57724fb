"""The pilot review's figures as an XLSX workbook: figures, districts, communes.

Every cell goes through kontum_posts.lib.export.neutralise, as the lists' exports do: text a
spreadsheet would read as a formula gets a leading apostrophe, so a name typed as "=HYPERLINK(...)"
stays text (OWASP's CSV/formula injection advice), and yes/no are words. Its sheets are written by
export.add_sheet, as every list's workbook is (frozen header, dates dd/mm/yyyy, set widths).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kontum_posts.lib.export import add_sheet, new_workbook, workbook_bytes
from reports.data import PilotReview


def pilot_review_workbook(report: PilotReview) -> bytes:
    f = report.figures
    workbook = new_workbook()
    add_sheet(
        workbook,
        _("Figures"),
        [
            [_("Figure"), _("Value"), _("Out of")],
            [_("Province"), report.province.name, None],
            [_("As of"), report.as_of, None],
            [_("Plan"), report.plan.number if report.plan else "", None],
            [_("Regular officers holding commune police positions"), f.officers_in_post, None],
            [_("Communes with regular officers"), f.communes_covered, f.communes_in_plan],
            [_("Commune police Party cells"), f.party_cells, None],
            [_("Cells whose secretary is a regular officer"), f.cells_with_police_secretary, f.party_cells],
            [_("Officers on the commune Party executive committee"), f.executive_committee_members, None],
            [_("Officers on the commune Party standing committee"), f.standing_committee_members, None],
        ],
        [58, 22, 10],
    )
    add_sheet(
        workbook,
        _("Districts"),
        [
            [_("GSO code"), _("District"), _("Regular officers"), _("Communes covered"), _("Communes in the plan"),
             _("Party cells"), _("Secretary a police officer"), _("Executive committee"), _("Standing committee")],
            *(
                [row.district.code, row.district.name, row.figures.officers_in_post, row.figures.communes_covered,
             row.figures.communes_in_plan, row.figures.party_cells, row.figures.cells_with_police_secretary,
                 row.figures.executive_committee_members, row.figures.standing_committee_members]
                for row in report.districts
            ),
        ],
        [10, 24, 12, 12, 12, 12, 12, 12, 12],
    )
    add_sheet(
        workbook,
        _("Communes"),
        [
            [_("GSO code"), _("District"), _("Commune"), _("Chief"), _("Regular officers"), _("Party cell"),
             _("Executive committee"), _("Standing committee"), _("Gaps")],
            *(
                [row.commune.code, row.commune.district.name, row.commune.name_on, row.commune.chief_name or "",
             row.commune.officers_on, row.commune.has_cell, row.commune.bch_on,
                 row.commune.btv_on, "; ".join(report.gap_labels(row))]
                for row in report.communes
            ),
        ],
        [10, 22, 24, 26, 12, 10, 12, 12, 40],
    )
    return workbook_bytes(workbook)
