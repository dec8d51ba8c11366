"""Every control can be named by a screen reader and explains itself on hover."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QSlider,
    QTableView,
    QWidget,
)

from tests.gui.helpers import find, open_tab

CONTROLS = (QAbstractButton, QAbstractSpinBox, QComboBox, QSlider, QTableView, QLineEdit)


def unnamed_controls(root: QWidget) -> list[str]:
    """Every visible control without both an accessible name and a tooltip.

    A button's text is not enough: a screen reader reads the name, and a tooltip is what a
    student hovering over it sees.
    """
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(root):
            continue
        if isinstance(widget.parent(), QAbstractSpinBox | QComboBox):
            continue  # the line edit or arrows inside a spin box or combo box
        if widget.objectName().startswith("qt_"):
            continue  # Qt's own parts (a table's corner, the menu bar's overflow arrow)
        lacking = [
            what
            for what, present in (
                ("an accessible name", widget.accessibleName()),
                ("a tooltip", widget.toolTip()),
            )
            if not present
        ]
        if lacking:
            text = widget.text() if isinstance(widget, QAbstractButton | QLineEdit) else ""
            missing.append(
                f"{type(widget).__name__} {widget.objectName()!r} {text!r}: "
                + " and ".join(lacking)
            )
    return missing


def test_every_control_in_the_window_has_a_name_and_a_tip(qtbot, window):
    """Buttons, boxes, lists, sliders, tables and text fields on every page carry both an
    accessible name and a tooltip (looked at with each page open, as a user sees it)."""
    missing = set(unnamed_controls(window))
    for tabs, pages in (
        ("detail_tabs", ("data_page", "history_page", "arithmetic_page")),
        ("plot_tabs", ("contour_page", "loss_page")),
    ):
        for page in pages:  # some pages are made when first opened
            open_tab(qtbot, window, tabs, page)
            missing |= set(unnamed_controls(window))
    qtbot.mouseClick(find(window, QCheckBox, "quiz_toggle"), Qt.MouseButton.LeftButton)
    missing |= set(unnamed_controls(window))  # the quiz's box and buttons, now enabled
    assert window.findChild(QTableView, "history_table") is not None
    assert window.findChild(QTableView, "data_table") is not None
    window.show_comparison()
    assert sorted(missing) == [], "\n".join(sorted(missing))
    assert unnamed_controls(window.comparison) == []


def test_the_check_counts_a_control_without_a_name(qtbot, window):
    """The check itself can fail: a button with only its text is reported."""
    from PySide6.QtWidgets import QPushButton

    window.step_button.setAccessibleName("")
    assert any("step_button" in entry for entry in unnamed_controls(window))
    assert isinstance(window.step_button, QPushButton)


def test_quiz_guess_box_is_named(window):
    """The quiz's text box says what to type."""
    guess = window.findChild(QLineEdit, "quiz_guess")
    assert guess.accessibleName() and guess.placeholderText()
