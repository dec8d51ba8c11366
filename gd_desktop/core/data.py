"""Data sets from text: rows of inputs then a target, as in a CSV file. No Qt.

A bad cell is reported by its line and column in plain words, and nothing is returned for it:
callers keep their previous data.
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np

from gd_desktop.core.limits import MAX_INPUTS, MAX_ROWS


class DataError(ValueError):
    """A data set that cannot be read; the message names the line and column."""


def number_or_none(cell: str) -> float | None:
    """A cell as a finite number, or None; the one rule for every way data comes in."""
    text = cell.strip().replace("−", "-")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_rows(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``inputs…, target`` from CSV text (commas, semicolons or tabs; header optional).

    Returns the inputs (rows × inputs) and the targets. Blank lines are skipped.
    """
    sample = text[:4096]
    delimiter = "\t" if "\t" in sample else ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list[float]] = []
    width = None
    for line_number, cells in enumerate(reader, start=1):
        if not cells or all(not cell.strip() for cell in cells):
            continue
        values = [number_or_none(cell) for cell in cells]
        if not rows and width is None and all(value is None for value in values):
            width = len(cells)  # a header line: it fixes the number of columns
            continue
        for column, (cell, value) in enumerate(zip(cells, values, strict=True), start=1):
            if value is None:
                raise DataError(
                    f"Line {line_number}, column {column}: {cell.strip()!r} is not a number."
                )
        if width is None:
            width = len(values)
        if len(values) != width:
            raise DataError(
                f"Line {line_number} has {len(values)} column(s); the lines before it have "
                f"{width} (inputs, then the target)."
            )
        rows.append(values)
        if len(rows) > MAX_ROWS:
            raise DataError(f"More than {MAX_ROWS:,} rows: that is more than the app can show.")
    if not rows:
        raise DataError("No rows of numbers found.")
    if width < 2:
        raise DataError("Each line needs at least one input and a target (two columns).")
    if width - 1 > MAX_INPUTS:
        raise DataError(f"At most {MAX_INPUTS} inputs (plus the target), not {width - 1}.")
    table = np.array(rows, dtype=float)
    return table[:, :-1], table[:, -1]
