"""Reading a register file: CSV (UTF-8, with or without a byte-order mark; comma, semicolon or tab)
or XLSX, row by row, so a file of any length costs the same memory. Problems with the file as a
whole (empty, too large, another encoding, not a spreadsheet) raise FileProblem."""

import codecs
import csv
import io
import zipfile

import openpyxl
from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024  # registers of 100,000 people fit in a few MB
SNIFF_BYTES = 64 * 1024


class FileProblem(ValueError):
    pass


def rows(name, data):
    """(header, iterator of (row number, list of cells)) for the file's bytes."""
    if not data:
        raise FileProblem(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise FileProblem(
            _("The file is %(size)s MB; split it into files under %(limit)s MB.")
            % {"size": f"{len(data) / 2**20:.0f}", "limit": MAX_BYTES // 2**20}
        )
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        return _xlsx_rows(data)
    return _csv_rows(data)


def _csv_rows(data):
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[:SNIFF_BYTES], final=False)
        text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
        sample = text.read(SNIFF_BYTES)
    except UnicodeDecodeError:
        raise FileProblem(_not_utf8(data)) from None
    text.seek(0)
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to tell
    reader = csv.reader(text, dialect)
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise FileProblem(_("The file has no header row: the first row must name the columns."))

    def numbered():
        try:
            for number, row in enumerate(reader, start=2):
                if any(cell.strip() for cell in row):
                    yield number, row
        except UnicodeDecodeError:
            raise FileProblem(_not_utf8(data)) from None
        except csv.Error as error:
            raise FileProblem(
                _("Row %(row)s cannot be read as CSV: %(error)s.") % {"row": reader.line_num, "error": error}
            ) from None

    return header, numbered()


def _not_utf8(data):
    try:
        data.decode("cp1251")
    except UnicodeDecodeError:
        return _("The file is not UTF-8 text. Save it as “CSV UTF-8” (or as .xlsx) and try again.")
    return _("The file looks like Windows-1251 (Cyrillic) text, not UTF-8. Save it as “CSV UTF-8” (or as .xlsx).")


def _xlsx_rows(data):
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileProblem(_("The file is not a readable .xlsx spreadsheet (%(error)s).") % {"error": error}) from None
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header = next(cells, None)
    if not header or not any(cell not in (None, "") for cell in header):
        raise FileProblem(_("The first sheet has no header row: its first row must name the columns."))
    header = ["" if cell is None else str(cell) for cell in header]

    def numbered():
        for number, row in enumerate(cells, start=2):
            if any(cell not in (None, "") for cell in row):
                yield number, list(row)
        workbook.close()

    return header, numbered()
