"""Uploads are bounded before they are parsed: bytes, rows, columns, the XML inside an XLSX; the
declared dimension is ignored; a formula with no saved value is named as such."""

import io
import json
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, override_settings
from openpyxl import Workbook

from personnel.importing import postings_import
from tests.base import InEnglish, SmallProvinceTestCase
from tests.personnel.test_import import HEADER, csv_bytes, row, xlsx_bytes


def rewrite_sheet(content: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change` (text -> text)."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def declare_everything(xml: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)


def huge_dimension_xlsx() -> bytes:
    """A few KB declaring A1:XFD1048576, with one real cell at the far corner: what took a worker to 9 GB."""
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(row("S-1"))
    workbook.active["A1048576"] = "x"
    out = io.BytesIO()
    workbook.save(out)
    return rewrite_sheet(out.getvalue(), declare_everything)


def zip_bomb_xlsx() -> bytes:
    """A sheet whose XML inflates to 200 MB from a few hundred KB."""
    def inflate(xml):
        return xml.replace("<sheetData>", "<sheetData>" + " " * (200 * 1024 * 1024))
    return rewrite_sheet(xlsx_bytes([row("S-1")]), inflate)


def shared_strings_xlsx(rows) -> bytes:
    """The workbook as Excel writes it: text in xl/sharedStrings.xml, cells pointing into it (openpyxl writes inline)."""
    from xml.sax.saxutils import escape

    strings: list[str] = []

    def share(xml):
        def cell(match):
            strings.append(match.group(2))
            return f'<c r="{match.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'
        return re.sub(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>([^<]*)</t></is></c>', cell, xml)

    content = rewrite_sheet(xlsx_bytes(rows), share)
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            target.writestr(info.filename, data)
        target.writestr("xl/sharedStrings.xml", sst)
    assert escape  # the strings come escaped from the sheet already
    return out.getvalue()


def many_cells_xlsx() -> bytes:
    """One row of four million empty cells (within the unpacked bound): what holds a row's elements in memory."""
    return rewrite_sheet(xlsx_bytes([row("S-1")]), lambda xml: xml.replace('<row r="2">', '<row r="2">' + "<c/>" * 4_000_000, 1))


class BoundedReadingTests(InEnglish, SmallProvinceTestCase):
    def run_import(self, content, filename="bo-tri.xlsx"):
        return postings_import(file=content, filename=filename, user=self.admin, dry_run=True)

    def test_the_declared_dimension_is_ignored_and_a_row_past_the_limit_is_refused(self):
        content = huge_dimension_xlsx()
        self.assertIn(b'<dimension ref="A1:XFD1048576"/>', zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml"))
        result = self.run_import(content)
        self.assertEqual(len(result.errors), 1, result.errors)
        self.assertIn("at most 20,000 rows", result.errors[0].message)

    def test_shared_strings_are_read(self):
        content = shared_strings_xlsx([row("S-1", name="Trần Thị Bé"), row("S-2", name="Y Bình")])
        self.assertIn(b'<c r="B2" t="s">', zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml"))
        result = postings_import(file=content, filename="a.xlsx", user=self.admin, dry_run=True)
        self.assertEqual(result.errors, [])
        self.assertEqual([p.full_name for p in result.planned], ["Trần Thị Bé", "Y Bình"])

    def test_a_dimension_alone_does_not_make_rows(self):
        content = rewrite_sheet(xlsx_bytes([row("S-1")]), declare_everything)
        result = self.run_import(content)
        self.assertEqual((result.errors, result.rows), ([], 1))

    def test_a_zip_bomb_is_refused_before_its_xml_is_parsed(self):
        content = zip_bomb_xlsx()
        self.assertLess(len(content), 1024 * 1024)
        result = self.run_import(content)
        self.assertEqual(len(result.errors), 1)
        self.assertIn("unpacks to more than 50 MB", result.errors[0].message)

    @override_settings(IMPORT_MAX_BYTES=2048)
    def test_a_file_over_the_byte_limit_is_refused_unread(self):
        result = self.run_import(csv_bytes([row(f"S-{i}") for i in range(20)]), filename="bo-tri.csv")
        self.assertEqual(len(result.errors), 1)
        self.assertIn("larger than 2 KB", result.errors[0].message)

    @override_settings(IMPORT_MAX_ROWS=3)
    def test_rows_past_the_limit_are_refused_in_csv_and_xlsx(self):
        rows = [row(f"S-{i}", start=f"0{i + 1}/01/2019", end=f"0{i + 1}/01/2019") for i in range(4)]
        for content, name in ((csv_bytes(rows), "a.csv"), (xlsx_bytes(rows), "a.xlsx")):
            result = self.run_import(content, filename=name)
            self.assertEqual([e.message for e in result.errors], ["A file may have at most 3 rows under its header."], name)
            self.assertTrue(self.run_import(content.replace(b"S-3", b"S-3"), filename=name).errors)
        self.assertEqual(self.run_import(csv_bytes(rows[:3]), filename="a.csv").errors, [])

    @override_settings(IMPORT_MAX_COLUMNS=16)
    def test_a_value_past_the_column_limit_is_refused_and_empty_cells_there_are_not(self):
        wide = row("S-1") + ["", "", "x"]
        for content, name in ((csv_bytes([wide]), "a.csv"), (xlsx_bytes([wide]), "a.xlsx")):
            result = self.run_import(content, filename=name)
            self.assertEqual([e.message for e in result.errors], ["A file may have at most 16 columns."], name)
        self.assertEqual(self.run_import(csv_bytes([row("S-1") + ["", ""]]), filename="a.csv").errors, [])

    def test_a_formula_with_no_saved_value_says_formula_not_empty(self):
        content = rewrite_sheet(xlsx_bytes([row("S-1", name="Lê Văn Bốn")]), lambda xml: re.sub(
            r'<c r="B2" t="inlineStr"><is><t>[^<]*</t></is></c>', '<c r="B2"><f>CONCAT(X1,Y1)</f></c>', xml))
        result = self.run_import(content)
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "Họ và tên")])
        self.assertIn("formula", result.errors[0].message)
        self.assertNotIn("must be filled in", result.errors[0].message)


class HostileUploadMemoryTests(SimpleTestCase):
    """The hostile files, imported in a fresh process as a worker would: its peak memory is measured."""

    def peak(self, content: bytes, name: str) -> dict:
        import resource
        import tempfile

        path = Path(tempfile.mkdtemp()) / name
        path.write_bytes(content)
        script = textwrap.dedent(f"""
            import json, os, resource, sys, time
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_posts.settings")
            import django
            django.setup()
            from django.utils import translation
            translation.activate("en")
            from personnel.importing.read import read_rows
            from personnel.importing.columns import _FileError
            start = time.perf_counter()
            try:
                read_rows(open({str(path)!r}, "rb").read(), {name!r})
                message = ""
            except _FileError as error:
                message = str(error)
            # The process's own peak: VmHWM belongs to this program's memory since exec (ru_maxrss would also
            # count the forked test runner before exec, and RUSAGE_CHILDREN every earlier child).
            peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
            print(json.dumps({{"message": message, "seconds": time.perf_counter() - start, "peak_kb": peak_kb}}))
        """)

        def limit():  # so that today's unbounded reading fails fast instead of taking the machine
            resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))

        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                              cwd=settings.BASE_DIR, preexec_fn=limit)
        self.assertEqual(done.returncode, 0, done.stderr[-2000:])
        report = json.loads(done.stdout.strip().splitlines()[-1])
        report["peak_mb"] = report["peak_kb"] / 1024
        print(f"{name}: {len(content)} bytes, refused in {report['seconds']:.2f} s, peak RSS {report['peak_mb']:.0f} MB")
        return report

    def test_the_hostile_dimension_file_is_refused_within_200_mb(self):
        report = self.peak(huge_dimension_xlsx(), "hostile.xlsx")
        self.assertIn("20,000 rows", report["message"])
        self.assertLess(report["peak_mb"], 200)

    def test_a_row_of_millions_of_empty_cells_is_refused_within_200_mb(self):
        report = self.peak(many_cells_xlsx(), "cells.xlsx")
        self.assertIn("20,000 rows", report["message"])
        self.assertLess(report["peak_mb"], 200)

    def test_the_zip_bomb_is_refused_within_200_mb(self):
        report = self.peak(zip_bomb_xlsx(), "bomb.xlsx")
        self.assertIn("50 MB", report["message"])
        self.assertLess(report["peak_mb"], 200)
