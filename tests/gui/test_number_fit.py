"""Every number fits its place, rounded until it does, never cut on either side."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractSpinBox, QLabel, QStyleOptionViewItem, QTableView

from gd_desktop.core.numbers import MINUS
from tests.gui.helpers import click, find, open_tab

AWKWARD_WEIGHTS = [-0.5464912345678, -13.23281234]


def read_back(text: str) -> float:
    return float(text.replace(MINUS, "-"))


def assert_fits(widget, text: str, room: int) -> None:
    width = widget.fontMetrics().horizontalAdvance(text)
    assert width <= room, f"{widget.objectName()}: {text!r} is {width} px in {room} px"


@pytest.fixture
def awkward(qtbot, window):
    """Two inputs, weights with many digits and a minus sign, after one step."""
    assert window.session.load([[3.1234567, -4.7654321]], [6.5432109], AWKWARD_WEIGHTS, 0.0137)
    click(qtbot, window, "step_button")
    return window


def test_weight_boxes_round_their_numbers_to_fit(qtbot, awkward):
    window = awkward
    for k, value in enumerate(window.session.shown.weights):
        box = find(window, QAbstractSpinBox, f"weight_{k}")
        edit = box.lineEdit()
        assert_fits(edit, edit.text(), edit.contentsRect().width())
        assert read_back(edit.text()) == pytest.approx(float(value), rel=0.01)
        box.setMaximumWidth(60)  # narrower: fewer digits, still the right sign and size
        qtbot.waitUntil(lambda box=box: box.width() <= 60)
        assert_fits(edit, edit.text(), edit.contentsRect().width())
        assert read_back(edit.text()) == pytest.approx(float(value), rel=0.05)


def test_slope_and_readout_labels_round_to_fit(qtbot, awkward):
    window = awkward
    names = ["slope_0", "slope_1", "prediction_value", "error_value", "loss_value"]
    values = [*window.session.shown.gradient, window.session.shown.predictions[0]]
    values += [window.session.shown.errors[0], window.session.shown.loss]
    for name, value in zip(names, values, strict=True):
        label = find(window, QLabel, name)
        assert read_back(label.text()) == pytest.approx(float(value), rel=0.05)
        assert_fits(label, label.text(), label.contentsRect().width())
        label.setFixedWidth(label.fontMetrics().horizontalAdvance("−13.2"))
        qtbot.waitUntil(lambda label=label: label.width() < 100)
        assert_fits(label, label.text(), label.contentsRect().width())
        assert read_back(label.text()) == pytest.approx(float(value), rel=0.05)


def test_table_cells_round_to_fit_instead_of_eliding(qtbot, awkward):
    window = awkward
    open_tab(qtbot, window, "detail_tabs", "history_page")
    table = window.findChild(QTableView, "history_table")
    model = table.model()
    delegate = table.itemDelegate()
    for column in range(1, model.columnCount()):
        table.setColumnWidth(column, 52)
        index = model.index(1, column)
        option = QStyleOptionViewItem()
        option.initFrom(table)
        option.rect = table.visualRect(index)
        text = delegate.cell_text(model.value(1, column), option)
        assert "…" not in text
        assert_fits(table, text, option.rect.width())
        assert read_back(text) == pytest.approx(model.value(1, column), rel=0.05, abs=1e-12)
