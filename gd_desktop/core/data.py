"""Data sets from text: rows of inputs then a target, as in a CSV file. No Qt.

A bad cell is reported by its line and column in plain words, and nothing is returned for it:
callers keep their previous data. :func:`read_rows` reads a pasted text at once;
:func:`parse_rows_chunked` reads a file's text by blocks, with the same rules and messages, so a
caller on another thread can report progress and stop it.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from gd_desktop.core.files import FileReadError, read_regular_file
from gd_desktop.core.i18n import _, ngettext
from gd_desktop.core.limits import (
    EXCERPT,
    MAX_CSV_BYTES,
    MAX_CSV_CELL,
    MAX_CSV_LINE,
    MAX_INPUTS,
    MAX_ROWS,
)


class DataError(ValueError):
    """A data set that cannot be read; the message names the line and column."""


def _too_many_rows() -> DataError:
    return DataError(
        _("More than {limit:,} rows: that is more than the app can show.").format(limit=MAX_ROWS)
    )


def _refuse_a_table_of_the_wrong_shape(row_count: int, width: int | None) -> None:
    """Whole or in blocks, a table is read only with rows, an input and a target in each, and
    no more inputs than the app takes."""
    if row_count == 0:
        raise DataError(_("No rows of numbers found."))
    if width < 2:
        raise DataError(_("Each line needs at least one input and a target (two columns)."))
    if width - 1 > MAX_INPUTS:
        raise DataError(
            _("At most {limit} inputs (plus the target), not {count}.").format(
                limit=MAX_INPUTS, count=width - 1
            )
        )


def _columns_differ(line_number: int, count: int, width: int) -> DataError:
    return DataError(
        ngettext(
            "Line {line} has {count} column; the lines before it have {width} (inputs, then "
            "the target).",
            "Line {line} has {count} columns; the lines before it have {width} (inputs, then "
            "the target).",
            count,
        ).format(line=line_number, count=count, width=width)
    )


def number_or_none(cell: str) -> float | None:
    """A cell as a finite number, or None; the one rule for every way data comes in."""
    text = cell.strip().replace("−", "-")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _refuse_a_cell_that_is_no_number(cells: list[str], values: list, line_number: int) -> None:
    """The first cell of a data line that is no number, named by its line and column."""
    for column, (cell, value) in enumerate(zip(cells, values, strict=True), start=1):
        if value is None:
            raise DataError(
                _("Line {line}, column {column}: {cell} is not a number.").format(
                    line=line_number, column=column, cell=repr(excerpt(cell.strip()))
                )
            )


def read_rows(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``inputs…, target`` from CSV text (commas, semicolons or tabs; header optional).

    Returns the inputs (rows × inputs) and the targets. Blank lines are skipped.
    """
    check_line_lengths(text)
    rows: list[list[float]] = []
    width = None
    for line_number, cells in enumerate(_csv_records(text, _delimiter(text)), start=1):
        if not cells or all(not cell.strip() for cell in cells):
            continue
        values = [number_or_none(cell) for cell in cells]
        if not rows and width is None and all(value is None for value in values):
            width = len(cells)  # a header line: it fixes the number of columns
            continue
        _refuse_a_cell_that_is_no_number(cells, values, line_number)
        if width is None:
            width = len(values)
        if len(values) != width:
            raise _columns_differ(line_number, len(values), width)
        rows.append(values)
        if len(rows) > MAX_ROWS:
            raise _too_many_rows()
    _refuse_a_table_of_the_wrong_shape(len(rows), width)
    table = np.array(rows, dtype=float)
    return table[:, :-1], table[:, -1]


BLOCK_LINES = 5_000
"""Lines parsed between two progress reports; small enough that the window never waits long."""


class ImportCancelled(Exception):  # noqa: N818 (not an error: the user asked for it)
    """The user cancelled a parse before it finished."""


def _delimiter(text: str) -> str:
    """Tabs if the start has any, else semicolons if they outnumber commas, else commas."""
    sample = text[:4096]
    return "\t" if "\t" in sample else ";" if sample.count(";") > sample.count(",") else ","


class _ChunkedReader:
    """The rules of :func:`read_rows`, applied a block of lines at a time.

    A block is first read the fast way (split on the delimiter, ``float`` over every cell at once);
    when that finds anything odd, the block is read again line by line exactly as ``read_rows``
    does, which raises the same error for the same line and column.
    """

    def __init__(self, delimiter: str):
        self.delimiter = delimiter
        self.width: int | None = None
        self.row_count = 0
        self.blocks: list[np.ndarray] = []

    def add_lines(self, first_line_number: int, lines: list[str]) -> None:
        """Lines split on newlines only (no quotes, no carriage returns)."""
        start = 0
        while self.width is None and start < len(lines):  # a header is possible only here
            self._add_slowly(first_line_number + start, [lines[start].split(self.delimiter)])
            start += 1
        rest = lines[start:]
        if not rest:
            return
        table = self._read_fast(rest)
        if table is None:
            self._add_slowly(
                first_line_number + start, [line.split(self.delimiter) for line in rest]
            )
        else:
            self.blocks.append(table)
            self.row_count += table.shape[0]

    def add_records(self, first_line_number: int, records: list[list[str]]) -> None:
        """Records already split into cells (by the csv module)."""
        self._add_slowly(first_line_number, records)

    def _read_fast(self, lines: list[str]) -> np.ndarray | None:
        delimiter = self.delimiter
        width = self.width
        kept = [line for line in lines if line.replace(delimiter, "").strip()]
        if not kept:
            return np.empty((0, width))
        if self.row_count + len(kept) > MAX_ROWS:
            return None
        separators = width - 1
        if any(line.count(delimiter) != separators for line in kept):
            return None
        joined = delimiter.join(kept)
        if "−" in joined:
            joined = joined.replace("−", "-")
        try:
            values = np.array(list(map(float, joined.split(delimiter))), dtype=float)
        except ValueError:
            return None
        if not np.isfinite(values).all():
            return None
        return values.reshape(len(kept), width)

    def _add_slowly(self, first_line_number: int, records: list[list[str]]) -> None:
        rows: list[list[float]] = []
        for line_number, cells in enumerate(records, start=first_line_number):
            if not cells or all(not cell.strip() for cell in cells):
                continue
            values = [number_or_none(cell) for cell in cells]
            if self.row_count == 0 and self.width is None and all(v is None for v in values):
                self.width = len(cells)  # a header line: it fixes the number of columns
                continue
            _refuse_a_cell_that_is_no_number(cells, values, line_number)
            if self.width is None:
                self.width = len(values)
            if len(values) != self.width:
                raise _columns_differ(line_number, len(values), self.width)
            rows.append(values)
            self.row_count += 1
            if self.row_count > MAX_ROWS:
                raise _too_many_rows()
        if rows:
            self.blocks.append(np.array(rows, dtype=float))

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        _refuse_a_table_of_the_wrong_shape(self.row_count, self.width)
        table = np.concatenate([block for block in self.blocks if block.shape[0]])
        return table[:, :-1], table[:, -1]


def _csv_records(text: str, delimiter: str) -> Iterator[list[str]]:
    """The csv module's records; where it gives up (a quoted cell over many lines, longer than
    its own limit of 131,072 characters) a DataError says so in words, naming the line."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise DataError(
            _(
                "Line {line:,} cannot be read: a cell is longer than {limit:,} characters, or a "
                "quote is not closed."
            ).format(line=reader.line_num, limit=MAX_CSV_CELL)
        ) from None


def _csv_blocks(text: str, delimiter: str, block_lines: int) -> Iterator[list[list[str]]]:
    records = _csv_records(text, delimiter)
    while block := list(itertools.islice(records, block_lines)):
        yield block


def parse_rows_chunked(
    text: str,
    *,
    block_lines: int = BLOCK_LINES,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exactly :func:`read_rows`, parsed in blocks of ``block_lines`` lines.

    Before each block ``cancelled()`` is asked (raising :class:`ImportCancelled` if true); after it
    ``progress(lines_done, lines_in_all)`` is told. Same rows, same errors, same messages.
    """
    check_line_lengths(text)
    delimiter = _delimiter(text)
    reader = _ChunkedReader(delimiter)
    if '"' in text or "\r" in text:  # quoted cells or odd line ends: let the csv module split
        total = text.count("\n") + 1
        blocks: Iterator[list] = _csv_blocks(text, delimiter, block_lines)
        add = reader.add_records
    else:
        lines = text.split("\n")
        total = len(lines)
        blocks = (lines[i : i + block_lines] for i in range(0, total, block_lines))
        add = reader.add_lines
    done = 0
    for block in blocks:
        if cancelled is not None and cancelled():
            raise ImportCancelled
        add(done + 1, block)
        done += len(block)
        if progress is not None:
            progress(min(done, total), total)
    return reader.result()


def excerpt(text: str) -> str:
    """At most the first EXCERPT characters of a bad value, for a message."""
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


def read_csv_file(path: Path) -> str:
    """A CSV file's text: UTF-8 (with or without a byte-order mark), UTF-16, else Latin-1.

    Only a regular file of at most MAX_CSV_BYTES is read; a longer line or cell than the limits
    is a DataError. Other problems are OSError (FileReadError for a special or too big file).
    """
    try:
        raw = read_regular_file(path, MAX_CSV_BYTES)
    except FileReadError as error:
        if error.reason == "too_big":
            raise DataError(
                _("The file is too big: {size:,.0f} MB (at most {limit:,.0f} MB).").format(
                    size=error.size / 1e6, limit=MAX_CSV_BYTES / 1e6
                )
            ) from None
        raise DataError(_("It is not a regular file (a folder, a device or a pipe).")) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_line_lengths(text)
    return text


def check_line_lengths(text: str) -> None:
    """Refuse a line or a cell longer than the limits, naming its line (a fast scan, no parse)."""
    # Only a line longer than a cell may be: one regular-expression scan finds the first.
    for found in _LONG_LINE.finditer(text):
        line = found.group()
        number = text.count("\n", 0, found.start()) + 1
        if len(line) > MAX_CSV_LINE:
            raise DataError(
                _("Line {line:,} has {count:,} characters (at most {limit:,}): {text}.").format(
                    line=number, count=len(line), limit=MAX_CSV_LINE, text=repr(excerpt(line))
                )
            )
        for cell in re.split("[,;\t]", line):
            if len(cell) > MAX_CSV_CELL:
                raise DataError(
                    _(
                        "Line {line:,} has a cell of {count:,} characters (at most {limit:,}): "
                        "{text}."
                    ).format(
                        line=number, count=len(cell), limit=MAX_CSV_CELL, text=repr(excerpt(cell))
                    )
                )


_LONG_LINE = re.compile(f"^[^\n]{{{MAX_CSV_CELL + 1},}}", re.MULTILINE)  # only at line starts
