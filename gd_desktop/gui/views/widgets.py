"""Small widgets that render the session's numbers without ever changing them."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox

from gd_desktop.core.numbers import format_number

LARGEST_SHOWN = 1e300


@contextmanager
def signals_blocked(obj: QObject) -> Iterator[None]:
    """Push a session value into a widget without it echoing back as a user edit."""
    previous = obj.blockSignals(True)
    try:
        yield
    finally:
        obj.blockSignals(previous)


def parse_number(text: str) -> float | None:
    """The user's text as a float, accepting a typographic minus and a decimal comma."""
    cleaned = text.strip().replace("−", "-").replace(",", ".").replace(" ", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class NumberBox(QDoubleSpinBox):
    """A spin box that shows a number the way the lesson writes it.

    Qt rounds a spin box's value to its ``decimals``; here that is only what is displayed. The
    session keeps the full value, pushes it in with :meth:`show_value`, and reads back only what the
    user typed (``valueChanged`` fires for edits, never for :meth:`show_value`).
    """

    def __init__(self, minimum: float, maximum: float, step: float, parent=None):
        super().__init__(parent)
        self.setDecimals(15)
        self.setRange(minimum, maximum)
        self.setSingleStep(step)
        self.setKeyboardTracking(False)  # an edit counts on Enter, Tab or an arrow, not per key
        self.setAccelerated(True)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)

    def show_value(self, value: float) -> None:
        with signals_blocked(self):
            self.setValue(value)
        self.setToolTip(f"{self.accessibleName() or 'Value'}: {value!r}")

    def retranslate(self) -> None:
        """After a change of language: the number again, with that language's decimal separator
        (Qt redraws the text only when the value changes)."""
        with signals_blocked(self):
            self.lineEdit().setText(self.textFromValue(self.value()))

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        return format_number(value)

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt override)
        value = parse_number(text)
        return self.value() if value is None else value

    def validate(self, text: str, pos: int):
        stripped = text.strip()
        if stripped in ("", "-", "−", ".", "-.", "−.", ","):
            return QValidator.State.Intermediate, text, pos
        value = parse_number(text)
        if value is None:
            lowered = stripped.lower()
            # "1e" and "1e-" are on the way to a number in scientific notation.
            if (
                lowered.endswith(("e", "e-", "e+", "e−"))
                and parse_number(lowered.rstrip("e-+−")) is not None
            ):
                return QValidator.State.Intermediate, text, pos
            return QValidator.State.Invalid, text, pos
        if not self.minimum() <= value <= self.maximum():
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos
