"""Every number fits its place, rounded until it does, never cut on either side."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QLabel, QStyleOptionViewItem, QTableView

from gd_desktop.core.number_fit import number_texts
from gd_desktop.core.numbers import MINUS, format_number
from tests.gui.helpers import click, find, open_tab

AWKWARD_WEIGHTS = [-0.5464912345678, -13.23281234]


def read_back(text: str) -> float:
    return float(text.replace(MINUS, "-"))


def a_rounding_of(text: str, value: float) -> bool:
    """Whether ``text`` is one of the core's roundings of ``value`` (never a cut one)."""
    return text in set(number_texts(value))


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

        def fitted(edit=edit, value=value) -> bool:
            text = edit.text()
            room = edit.contentsRect().width()
            return edit.fontMetrics().horizontalAdvance(text) <= room and a_rounding_of(
                text, float(value)
            )

        qtbot.waitUntil(fitted, timeout=2000)  # as painted, once the layout has settled
        assert read_back(edit.text()) == pytest.approx(float(value), rel=0.01)
        # As narrow as the panel makes it at a larger text size (its maximum width is fixed).
        narrow = edit.fontMetrics().horizontalAdvance(format_number(float(value)))
        box.setMaximumWidth(narrow)  # fewer digits, still the right sign and size
        qtbot.waitUntil(lambda box=box, narrow=narrow: box.width() <= narrow)
        assert box.lineEdit().fontMetrics().horizontalAdvance(format_number(float(value))) > (
            edit.contentsRect().width()
        ), "the usual text would not fit: the test needs a box this narrow"
        qtbot.waitUntil(fitted, timeout=2000)
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
        value = model.value(1, column)
        text = delegate.cell_text(value, option)
        assert "…" not in text and a_rounding_of(text, value), (text, value)
        width = option.fontMetrics.horizontalAdvance(text)  # the font the cell is painted in
        assert width <= option.rect.width(), (text, width, option.rect.width())


def test_at_larger_text_the_boxes_and_labels_still_fit(qtbot, awkward):
    """The issue's case: at 132 % text the fixed-width weight boxes cut "−0.546491"."""
    window = awkward
    window.appearance.scale_text(1.32)
    try:
        qtbot.wait(50)
        boxes = [find(window, QAbstractSpinBox, f"weight_{k}") for k in range(2)]
        labels = [find(window, QLabel, f"slope_{k}") for k in range(2)]
        values = [*window.session.shown.weights, *window.session.shown.gradient]
        for widget, value in zip([*boxes, *labels], values, strict=True):
            shown = widget.lineEdit() if isinstance(widget, QAbstractSpinBox) else widget
            assert_fits(shown, shown.text(), shown.contentsRect().width())
            assert read_back(shown.text()) == pytest.approx(float(value), rel=0.05)
    finally:
        window.appearance.normal_text()  # the application's font is every later test's too


def test_rounding_noise_is_zero_in_every_view(qtbot, window):
    """Slide one run to the bottom: the error is −3.5527e−15 (ulps of 10); every view says 0."""
    from tests.gui.helpers import choose_preset, explanation

    choose_preset(qtbot, window, "slide-one-weight")
    for _ in range(300):
        window.session.step()
    error = float(window.session.shown.errors[0])
    assert error != 0 and abs(error) < 1e-14  # the noise is there, in the engine's numbers
    for name in ("error_value", "loss_value", "slope_0"):
        assert find(window, QLabel, name).text() == "0", name
    assert "10 − 10 = 0" in explanation(window)
    open_tab(qtbot, window, "detail_tabs", "history_page")
    model = window.findChild(QTableView, "history_table").model()
    last = model.rowCount() - 1
    columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    for column in ("error", "loss", "slope w1"):
        cell = model.index(last, columns.index(column))
        assert cell.data() == "0", column
        assert cell.data(Qt.ItemDataRole.ToolTipRole) != "0.0"  # the exact value on hover
    assert "e−15" not in " ".join(str(model.index(last, c).data()) for c in range(len(columns)))
