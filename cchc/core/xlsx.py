"""One way to write an XLSX export (xuất tệp Excel): text that looks like a formula stays text.

A citizen may type ``=HYPERLINK("http://x","y")`` as a name, a unit may be called ``@SUM(1)``; openpyxl
turns any string starting with ``=`` into a live formula, and Excel / LibreOffice treat ``+ - @`` (and a
leading tab or carriage return) as the start of one when the cell is edited or the sheet is re-saved as
CSV (OWASP "CSV injection"). Every XLSX writer of the platform saves through :func:`workbook_bytes`, which
walks every cell once and, for *text* values starting with one of those characters, stores the value as a
plain string with Excel's own "quote prefix" flag — the same thing Excel records when a person types
``'=…``: the cell shows exactly the text, is never evaluated, and stays text when edited. The value itself
is not altered, so reading our own exports back (register, criteria) returns what was written.
Numbers, dates and booleans are not touched (a negative number stays a number).
"""

from __future__ import annotations

import io

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    """True for a text value a spreadsheet program could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise_workbook(workbook) -> int:
    """Make every formula-like text cell of ``workbook`` inert; return how many cells were changed."""
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if looks_like_formula(cell.value):
                    cell.data_type = "s"  # openpyxl had made "=…" a formula ("f")
                    cell.quotePrefix = True
                    changed += 1
    return changed


def workbook_bytes(workbook) -> bytes:
    """The XLSX bytes of ``workbook`` after :func:`neutralise_workbook` — the only way exports are saved."""
    neutralise_workbook(workbook)
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()
