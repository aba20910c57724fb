"""Bulk import of officers and their postings from the spreadsheets people keep today (CSV or XLSX).

One row is one posting; the officer is named by service number, added on first sight (from that
row's officer columns) or found among those already recorded. Everything is checked in memory
with a handful of queries, every bad row is reported (row number as the spreadsheet shows it,
column, reason), and then either every row is written with bulk_create or none is.

Every cell gets the forms' hygiene (kontum_posts/lib/clean.py): a control character, an HTML tag
or a spreadsheet formula is that cell's error, and dates stay between 1900 and 2100.
"""

from personnel.importing.check import postings_import
from personnel.importing.columns import COLUMNS, ImportResult, RowError
from personnel.importing.read import parse_date, read_rows
from personnel.importing.template import template_csv, template_xlsx

__all__ = ["COLUMNS", "ImportResult", "RowError", "parse_date", "postings_import", "read_rows", "template_csv",
           "template_xlsx"]
