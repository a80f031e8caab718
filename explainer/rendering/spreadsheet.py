"""CSV cells that a spreadsheet will not run: the one rule every CSV download follows.

A cell that begins with `=`, `+`, `-` or `@` is read by Excel, LibreOffice and Google Sheets
as a formula (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`), and a leading tab or carriage return
can hide one. Such a text cell is written with a single quote before it, as OWASP recommends
("CSV injection"): spreadsheets show the text, and the quote says it was altered. Numbers are
never touched (the counts written are never negative), and `explainer.json` keeps every value
exactly as the data holds it.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

NOTE = (
    "A text cell that would begin with =, +, -, @, a tab or a carriage return starts with a single "
    "quote (') so that spreadsheets show it as text, never run it as a formula; explainer.json holds "
    "the values as written."
)


def safe_cell(value: object) -> object:
    """`value` as a CSV cell: a text that a spreadsheet would take for a formula gets a leading `'`;
    anything else (numbers, None, other text) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
