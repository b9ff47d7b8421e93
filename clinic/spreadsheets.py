"""CSV files every export writes and the asset import reads: one place that keeps spreadsheet
programs from running a cell as a formula (CSV injection).

Every cell of every export goes through ``safe_cell``: text that starts with ``= + - @``, a TAB
or a carriage return gets a leading apostrophe (spreadsheets then show it as text); numbers stay
numbers. ``plain_cell`` undoes that prefix when a file we exported is imported again.
"""

import csv
import io
import re
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")
GUARD = "'"


def safe_cell(value):
    """A CSV cell for ``value``: "" for None, numbers unchanged, formula-like text guarded."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text):
        return GUARD + text
    return text


UNREADABLE_CSV = _("This file cannot be read as CSV: a cell is too long or a quote is not closed.")


class UnreadableCsv(ValueError):
    """An uploaded CSV the csv module cannot read (a cell over its field limit, a broken quote
    at the end of a line): the import says so instead of failing."""


class CsvRows(csv.DictReader):
    """``csv.DictReader`` that raises ``UnreadableCsv`` instead of ``csv.Error``, for the header
    and every row: every import reads uploads through it."""

    @property
    def fieldnames(self):
        try:
            return csv.DictReader.fieldnames.fget(self)
        except csv.Error as error:
            raise UnreadableCsv(str(error)) from error

    @fieldnames.setter
    def fieldnames(self, value):
        csv.DictReader.fieldnames.fset(self, value)

    def __next__(self):
        try:
            return super().__next__()
        except csv.Error as error:
            raise UnreadableCsv(str(error)) from error


def plain_cell(text):
    """The text of a cell ``safe_cell`` guarded (other text unchanged)."""
    if text.startswith(GUARD) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_bytes(header, rows):
    """A CSV file (UTF-8 with a byte-order mark, so spreadsheets show Chinese correctly) with
    every cell passed through ``safe_cell``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in [header, *rows]:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_response(content, filename):
    """A download of CSV bytes made by ``csv_bytes``."""
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
