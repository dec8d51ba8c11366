"""Every control can be named by a screen reader and explains itself on hover."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QSlider,
    QTableView,
    QWidget,
)

from tests.gui.helpers import open_tab

CONTROLS = (QAbstractButton, QAbstractSpinBox, QComboBox, QSlider, QTableView)


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS):
            continue
        if isinstance(widget.parent(), QAbstractSpinBox | QComboBox):
            continue  # the line edit or arrows inside a spin box or combo box
        if widget.objectName().startswith("qt_"):
            continue  # Qt's own parts (a table's corner, the menu bar's overflow arrow)
        name = widget.accessibleName() or (
            widget.text() if isinstance(widget, QAbstractButton) else ""
        )
        if not name or not (widget.toolTip() or isinstance(widget, QAbstractButton)):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_control_in_the_window_has_a_name_and_a_tip(qtbot, window):
    """Buttons, spin boxes, lists, sliders and tables all carry an accessible name (or a label)."""
    for tabs, pages in (
        ("detail_tabs", ("data_page", "history_page", "arithmetic_page")),
        ("plot_tabs", ("contour_page", "loss_page")),
    ):
        for page in pages:  # some pages are made when first opened
            open_tab(qtbot, window, tabs, page)
    assert window.findChild(QTableView, "history_table") is not None
    assert window.findChild(QTableView, "data_table") is not None
    window.show_comparison()
    assert unnamed_controls(window) == []
    assert unnamed_controls(window.comparison) == []


def test_quiz_guess_box_is_named(window):
    """The quiz's text box says what to type."""
    guess = window.findChild(QLineEdit, "quiz_guess")
    assert guess.accessibleName() and guess.placeholderText()
