"""CSV output for every public download: UTF-8 with a BOM, RFC 4180 quoting, formulas neutralised, streamed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from complaints.core.clock import local_today

BOM = "\ufeff"
#: A cell starting with one of these could run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """A cell's text, with a leading apostrophe when a spreadsheet would read it as a formula.

    Numbers are written as numbers (a negative count cannot occur; ``-`` alone is text).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    batch: int = 5000,
    *,
    text_columns: Collection[int] | None = None,
) -> Iterator[str]:
    """The CSV text in chunks: the BOM and header first, then rows a batch at a time (flat memory).

    With ``text_columns``, only those cells are checked for a formula start; the caller promises every
    other cell is None, an integer or a string that cannot begin with one (ids, codes, months, enum values).
    Those rows must be mutable lists: the checked cells are neutralised in place.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    if text_columns is not None:
        yield from _text_column_batches(buffer, writer, rows, batch, tuple(text_columns))  # type: ignore[arg-type]
        return
    pending = 0
    starts = frozenset(FORMULA_STARTS)
    str_, int_ = str, int
    for row in rows:
        # neutralise(), unrolled for the two common cell types: a million rows × 18 cells adds up
        writer.writerow(
            [
                ("'" + cell if cell and cell[0] in starts else cell)
                if type(cell) is str_
                else cell
                if type(cell) is int_
                else neutralise(cell)
                for cell in row
            ]
        )
        pending += 1
        if pending >= batch:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue()


def _text_column_batches(
    buffer: io.StringIO, writer: Any, rows: Iterable[list[object]], batch: int, text_columns: tuple[int, ...]
) -> Iterator[str]:
    """The rows after the header, neutralising only the free-text cells, written batch by batch with writerows."""
    starts = frozenset(FORMULA_STARTS)
    str_ = str
    pending: list[list[object]] = []
    for row in rows:
        for i in text_columns:
            cell = row[i]
            if type(cell) is str_:
                if cell and cell[0] in starts:
                    row[i] = "'" + cell
            else:
                row[i] = neutralise(cell)
        pending.append(row)
        if len(pending) >= batch:
            writer.writerows(pending)
            pending.clear()
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if pending:
        writer.writerows(pending)
        yield buffer.getvalue()


def dated_filename(stem: str, today: dt.date | None = None) -> str:
    """``collectwatch-<stem>-YYYY-MM-DD.csv``, safe for a Content-Disposition header."""
    today = today or local_today()
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in stem)
    return f"collectwatch-{safe}-{today.isoformat()}.csv"
