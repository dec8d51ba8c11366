"""Small widgets that render the session's numbers without ever changing them."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDoubleSpinBox,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from gd_desktop.core.number_fit import fit_number, number_texts
from gd_desktop.core.numbers import format_number

LARGEST_SHOWN = 1e300
TEXT_MARGIN = 3  # pixels a line edit or a table cell keeps clear at each side of its text
TOO_BIG = "{name} can be from {low} to {high}: {typed} is too big, so it stays {kept}."
TOO_SMALL = "{name} can be from {low} to {high}: {typed} is too small, so it stays {kept}."
#: The full value of a table cell, for the delegate that fits its text to the column.
NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1


@contextmanager
def signals_blocked(obj: QObject) -> Iterator[None]:
    """Push a session value into a widget without it echoing back as a user edit."""
    previous = obj.blockSignals(True)
    try:
        yield
    finally:
        obj.blockSignals(previous)


def fitted_text(value: float, metrics: QFontMetrics, width: float) -> str:
    """The core's most precise text for ``value`` that is no wider than ``width`` pixels: the
    view measures, the core rounds (never a cut number)."""
    return fit_number(value, lambda text: metrics.horizontalAdvance(text) <= width)


def widest_text(value: float, metrics: QFontMetrics) -> int:
    """Pixels the value's usual (six-digit) text takes."""
    return metrics.horizontalAdvance(format_number(value))


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

    #: A typed value was out of range and not taken: the sentence says why (for the status line).
    refused = Signal(str)

    def __init__(self, minimum: float, maximum: float, step: float, parent=None):
        super().__init__(parent)
        self._refused_text: str | None = None  # said once, however often Qt asks to fix it
        self._measuring = False  # Qt sizes the box from its texts: the usual ones, unfitted
        self.setDecimals(15)
        self.setRange(minimum, maximum)
        self.setSingleStep(step)
        self.setKeyboardTracking(False)  # an edit counts on Enter, Tab or an arrow, not per key
        self.setAccelerated(True)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.lineEdit().textEdited.connect(self._forget_refusal)

    def _forget_refusal(self, *_) -> None:
        self._refused_text = None

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
        """The value rounded to fit the box (never cut: "−0.5465", not "0.546491")."""
        edit = self.lineEdit()
        room = edit.contentsRect().width() - 2 * TEXT_MARGIN
        # A box narrower than its minimum is between layouts (a row just shown): the layout
        # will give it its place, and resizeEvent writes the value again for that width.
        if self._measuring or not self.isVisible() or room <= 0:
            return format_number(value)
        if self.width() < min(self.minimumSizeHint().width(), self.maximumWidth()):
            return format_number(value)
        return fitted_text(value, edit.fontMetrics(), room)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        self._measuring = True
        try:
            return super().minimumSizeHint()
        finally:
            self._measuring = False

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        self._measuring = True
        try:
            return super().sizeHint()
        finally:
            self._measuring = False

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._show_fitted()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._show_fitted()

    def _show_fitted(self) -> None:
        """Write the value again for the box's new width, unless the user is typing in it."""
        edit = self.lineEdit()
        if edit.isModified():
            return
        text = self.textFromValue(self.value())
        if edit.text() != text:
            with signals_blocked(edit):
                edit.setText(text)

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt override)
        value = parse_number(text)
        return self.value() if value is None else value

    def fixup(self, text: str) -> str:
        """Qt calls this for a text it will not take; an out-of-range number is said why, and
        the box keeps its previous value (CorrectToPreviousValue)."""
        value = parse_number(text)
        out_of_range = value is not None and not self.minimum() <= value <= self.maximum()
        if out_of_range and text != self._refused_text:
            self._refused_text = text
            names = {
                "name": self.accessibleName() or "This value",
                "low": format_number(self.minimum()),
                "high": format_number(self.maximum()),
                "typed": format_number(value),
                "kept": format_number(self.value()),
            }
            sentence = TOO_BIG if value > self.maximum() else TOO_SMALL
            self.refused.emit(sentence.format(**names))
        return text

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


class NumberLabel(QLabel):
    """A label that shows a number rounded to fit its width, the exact value on hover.

    It asks for room for the usual six digits and makes do with less: the text is rounded, never
    cut (a right-aligned "−13.2328" cut to "13.2328" changed the sign).
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._value: float | None = None
        self._placeholder = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    @property
    def value(self) -> float | None:
        return self._value

    def set_number(self, value: float) -> None:
        self._value = float(value)
        self._placeholder = ""
        self.updateGeometry()
        self._show_fitted()

    def set_placeholder(self, text: str) -> None:
        """A word instead of a number (the quiz's "?")."""
        self._value = None
        self._placeholder = text
        self.setText(text)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().sizeHint()
        if self._value is None:
            return hint
        margins = self.contentsMargins()
        width = widest_text(self._value, self.fontMetrics()) + margins.left() + margins.right()
        return QSize(width + 2 * self.margin() + 2, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().minimumSizeHint()
        if self._value is None:
            return hint
        shortest = min(number_texts(self._value), key=len)
        width = self.fontMetrics().horizontalAdvance(shortest) + 2 * self.margin() + 2
        return QSize(max(width, self.minimumWidth()), hint.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._show_fitted()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._show_fitted()

    def _show_fitted(self) -> None:
        if self._value is None:
            return
        room = self.contentsRect().width() - 2 * self.margin()
        text = fitted_text(self._value, self.fontMetrics(), room)
        if text != self.text():
            self.setText(text)


class FittedNumberDelegate(QStyledItemDelegate):
    """Table cells whose numbers are rounded to fit the column instead of elided ("−0.731…")."""

    def cell_text(self, value: float, option: QStyleOptionViewItem) -> str:
        return fitted_text(value, option.fontMetrics, option.rect.width() - 2 * TEXT_MARGIN - 2)

    def paint(self, painter, option, index) -> None:
        value = index.data(NUMBER_ROLE)
        if not isinstance(value, float):
            super().paint(painter, option, index)
            return
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        cell.text = self.cell_text(value, cell)
        widget = cell.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, widget)
