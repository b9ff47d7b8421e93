"""CSV exports: one helper guards every cell against spreadsheet formulas (CSV injection)."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from clinic.services import assets
from clinic.spreadsheets import csv_bytes, plain_cell, safe_cell
from tests.factories import company_with_representative

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0@evil.cn"]


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_cell_prefixes_formula_like_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [0, -5, 2.5, Decimal("-12.50"), "-3", "+4.25", "12"])
def test_safe_cell_keeps_numbers(value):
    assert safe_cell(value) == value


def test_safe_cell_keeps_plain_text_and_blanks_none():
    assert [safe_cell("Green Co."), safe_cell("a=b"), safe_cell(None)] == ["Green Co.", "a=b", ""]


@pytest.mark.parametrize("text", [*HOSTILE, "'quoted", "plain"])
def test_plain_cell_undoes_safe_cell(text):
    assert plain_cell(safe_cell(text)) == text


def test_csv_bytes_guards_every_cell_and_starts_with_a_bom():
    content = csv_bytes(["=header"], [["=a", 3, None]])
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["'=header"], ["'=a", "3", ""]]


@pytest.mark.django_db
def test_asset_csv_import_strips_the_guard_of_an_export():
    company, _representative = company_with_representative()
    original = company.ip_assets.create(
        asset_type="trademark",
        title='=HYPERLINK("http://x")',
        status="idea",
        owner="@owner",
        notes="-minus first",
    )
    content = assets.export_csv([original])
    other, other_rep = company_with_representative()
    copied = assets.import_csv(other_rep, other, content)[0]
    assert (copied.title, copied.owner, copied.notes) == (
        original.title,
        "@owner",
        "-minus first",
    )


def test_every_csv_writer_is_the_shared_helper():
    sources = [
        path.relative_to(ROOT).as_posix()
        for app in ("clinic", "cohorts", "mentoring")
        for path in (ROOT / app).rglob("*.py")
        if "csv.writer(" in path.read_text(encoding="utf-8")
    ]
    assert sources == ["clinic/spreadsheets.py"]
