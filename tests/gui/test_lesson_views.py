"""The arithmetic panel, the diagram, the history and the quiz, driven through the real window."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QPushButton,
    QSlider,
    QTableView,
    QWidget,
)

from gd_desktop.core.presets import PRESETS
from tests.gui.helpers import choose_preset, click, explanation, find, open_tab, shown, type_into


def test_arithmetic_shows_the_one_weight_slide(qtbot, window):
    """The first slide's numbers appear worked out: 3 × 2 = 6, 2 × (−4) × 3 = −24, 2.24."""
    choose_preset(qtbot, window, "slide-one-weight")
    text = explanation(window)
    assert "3 × 2 = 6" in text
    assert "6 − 10 = −4" in text
    assert "2 × (−4) × 3 × 1 = −24" in text
    assert "2 − 0.01 × (−24) = 2.24" in text
    assert "slope of the activation = 1" in text


def test_arithmetic_follows_a_step_and_shows_the_step_just_taken(qtbot, window):
    """After a Step the panel shows the step just taken and the next one."""
    click(qtbot, window, "step_button")
    text = explanation(window)
    assert "The step just taken" in text
    assert "1 − 0.01 × 30 = 0.7" in text
    assert "prediction = 3 × 0.7 + 4 × 1.6 = 8.5" in text


def test_arithmetic_follows_an_edit(qtbot, window):
    """Typing a new target updates the worked numbers at once."""
    type_into(qtbot, window.parameters.target, "7")
    assert "11 − 7 = 4" in explanation(window)


def test_numeric_check_is_shown_beside_each_slope(window):
    """Each weight's block has a finite-difference check agreeing to 6+ significant digits."""
    text = explanation(window)
    assert text.count("numeric check") == 2
    digits = [int(part.split()[0]) for part in text.split("agrees to ")[1:]]
    assert all(d >= 6 for d in digits)


def test_clicking_an_edge_selects_that_weight(qtbot, window):
    """A click on the w2 edge of the diagram shows weight 2 on the loss curve and highlights it."""
    view = find(window, QWidget, "network_view")
    point = view.edge_point(1).toPoint()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point)
    assert find(window, QComboBox, "parabola_weight").currentIndex() == 1
    assert window.loss_plot.weight_index == 1
    assert "Weight 2 (on the loss curve)" in explanation(window)


def test_diagram_shows_values_and_slopes_in_words(window):
    """The diagram's tooltip (its words) lists every weight with its slope."""
    tip = find(window, QWidget, "network_view").toolTip()
    assert "w1 = 1, slope 30" in tip and "w2 = 2, slope 40" in tip


def test_diagram_is_painted(qtbot, window):
    """The diagram paints something other than its background."""
    image = find(window, QWidget, "network_view").grab().toImage()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 5


def test_history_table_grows_by_rows_and_shows_the_newest(qtbot, window):
    """Each Step adds a row with weights, prediction, error, loss, slopes and changes."""
    for _ in range(3):
        click(qtbot, window, "step_button")
    open_tab(qtbot, window, "detail_tabs", "history_page")
    table = find(window, QTableView, "history_table")
    model = table.model()
    assert model.rowCount() == 4
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:4] == ["iteration", "w1", "w2", "prediction"]
    row1 = [model.index(1, c).data() for c in range(model.columnCount())]
    assert row1[:6] == ["1", "0.7", "1.6", "8.5", "2.5", "6.25"]
    assert row1[-2:] == ["−0.3", "−0.4"]  # the change per weight
    assert table.selectionModel().isRowSelected(3)


def test_history_table_inserts_rows_instead_of_rebuilding(qtbot, window):
    """Stepping inserts rows (rowsInserted), it never resets the model."""
    open_tab(qtbot, window, "detail_tabs", "history_page")
    model = find(window, QTableView, "history_table").model()
    resets, inserts = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda *_: inserts.append(1))
    for _ in range(5):
        click(qtbot, window, "step_button")
    assert resets == [] and len(inserts) == 5


def test_copy_selection_is_tab_separated_full_precision(qtbot, window):
    """Copying rows puts tab-separated full values on the clipboard."""
    window.session.set_learning_rate(0.0123456789)
    click(qtbot, window, "step_button")
    open_tab(qtbot, window, "detail_tabs", "history_page")
    table = find(window, QTableView, "history_table")
    table.selectAll()
    click(qtbot, window, "copy_button")
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[:3] == ["iteration", "w1", "w2"]
    assert float(lines[2].split("\t")[1]) == window.session.history.weights[1, 0]


def test_export_csv_writes_every_row(qtbot, window, tmp_path):
    """Export CSV writes one row per iteration at full precision, atomically."""
    for _ in range(4):
        click(qtbot, window, "step_button")
    target = tmp_path / "history.csv"
    assert window.exports.export_history(target)
    rows = list(csv.reader(target.read_text().splitlines()))
    assert len(rows) == 6 and rows[0][0] == "iteration"
    assert float(rows[5][1]) == window.session.current.weights[0]
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_export_to_a_folder_that_does_not_exist_says_so(window, tmp_path):
    """A failed export is a message, not a traceback, and leaves nothing behind."""
    assert not window.exports.export_history(tmp_path / "missing" / "history.csv")
    assert "was not saved" in shown(window, "status_message")


def test_back_and_forward_show_an_earlier_iteration_everywhere(qtbot, window):
    """Back shows iteration 1 in the spin boxes, the readout, the arithmetic and the markers."""
    for _ in range(3):
        click(qtbot, window, "step_button")
    click(qtbot, window, "back_button")
    click(qtbot, window, "back_button")
    assert shown(window, "iteration_value") == "1 of 3"
    assert window.parameters.weight_boxes[0].text() == "0.7"
    assert "Iteration 1 of 3 (looking back)" in explanation(window)
    assert window.error_plot.current_marker.position() == (1.0, 2.5)
    assert window.loss_plot.point.position()[0] == pytest.approx(0.7)
    assert find(window, QSlider, "history_slider").value() == 1
    click(qtbot, window, "forward_button")
    assert shown(window, "iteration_value") == "2 of 3"
    find(window, QSlider, "history_slider").setValue(3)
    assert shown(window, "iteration_value") == "3"
    assert not find(window, QPushButton, "forward_button").isEnabled()


def test_change_while_looking_back_cuts_the_history_and_undo_restores_it(qtbot, window):
    """Typing a weight at iteration 1 of 5 drops 2..5; Undo brings the five steps back."""
    for _ in range(5):
        click(qtbot, window, "step_button")
    window.session.show_iteration(1)
    type_into(qtbot, window.parameters.weight_boxes[0], "0.5")
    assert len(window.session.history) == 3  # 0, 1, and the hand-moved weight
    assert "dropped" in shown(window, "status_message") or "moved by hand" in shown(
        window, "status_message"
    )
    assert find(window, QPushButton, "undo_button").isEnabled()
    click(qtbot, window, "undo_button")
    assert len(window.session.history) == 6
    assert shown(window, "iteration_value") == "5"
    assert window.history_table.model().rowCount() == 6


def test_step_from_an_earlier_iteration_goes_on_from_there(qtbot, window):
    """Step while looking back at iteration 1 continues from iteration 1."""
    for _ in range(4):
        click(qtbot, window, "step_button")
    window.session.show_iteration(1)
    click(qtbot, window, "step_button")
    assert window.session.iteration == 2
    np.testing.assert_allclose(window.session.current.weights, [0.55, 1.4], rtol=1e-12)


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_every_preset_sets_all_values_and_resets(qtbot, window, preset):
    """A preset fills every box, clears the history, and says what it shows."""
    click(qtbot, window, "step_button")
    choose_preset(qtbot, window, preset.id)
    session = window.session
    assert session.iteration == 0
    np.testing.assert_array_equal(session.problem.inputs, preset.inputs)
    np.testing.assert_array_equal(session.problem.targets, preset.targets)
    np.testing.assert_array_equal(session.current.weights, preset.weights)
    assert session.problem.hidden_count == preset.hidden_count
    assert session.problem.learning_rate == preset.learning_rate
    assert preset.name in shown(window, "status_message")


def test_presets_behave_as_their_names_say(qtbot, window):
    """Too big diverges, oscillates flips the sign, too small crawls, just right converges."""
    outcomes = {}
    for preset in PRESETS[2:6]:
        choose_preset(qtbot, window, preset.id)
        for _ in range(6):
            window.session.step()
        errors = window.session.history.errors[:, 0]
        outcomes[preset.name] = errors
    assert abs(outcomes["Too big a learning rate"][-1]) > abs(
        outcomes["Too big a learning rate"][0]
    )
    signs = np.sign(outcomes["Oscillates"])
    assert np.all(signs[1:] != signs[:-1])
    assert abs(outcomes["Oscillates"][-1]) < abs(outcomes["Oscillates"][0])
    assert (
        outcomes["Too small a learning rate"][-1] > 0.8 * outcomes["Too small a learning rate"][0]
    )
    assert np.all(outcomes["Just right"] >= 0) and outcomes["Just right"][-1] < 0.01


def test_next_step_marker_shows_where_a_too_big_step_lands(qtbot, window):
    """With too big a rate the faint marker shows the step landing higher than it starts."""
    choose_preset(qtbot, window, "too-big-learning-rate")
    xs, ys = window.loss_plot.next_step.getData()
    assert xs[1] == pytest.approx(window.session.next_weights[0])
    assert ys[1] > ys[0]
    assert window.loss_plot.next_marker.position() == (xs[1], ys[1])


def test_several_rows_fold_their_per_row_terms(qtbot, window):
    """With two data rows the panel shows the mean and folds the per-row terms until asked."""
    assert window.session.load([[3.0, 4.0], [1.0, 2.0]], [6.0, 1.0], [1.0, 2.0], 0.01)
    text = explanation(window)
    assert "mean over rows" in text and "row 1: 2 × 5 × 3 × 1 = 30" not in text
    window.explanation.anchorClicked.emit(QUrl("toggle:rows"))  # the "show" link
    assert "row 1: 2 × 5 × 3 × 1 = 30" in explanation(window)
    assert "row 2: 2 × 4 × 1 × 1 = 8" in explanation(window)


def test_data_and_history_pages_are_made_when_first_opened_and_show_the_present(qtbot, window):
    """Pages nobody has opened cost nothing at start; opened later they show today's numbers."""
    assert window.findChild(QTableView, "data_table") is None
    assert window.findChild(QTableView, "history_table") is None
    choose_preset(qtbot, window, "slide-one-weight")
    for _ in range(4):
        click(qtbot, window, "step_button")
    click(qtbot, window, "back_button")

    open_tab(qtbot, window, "detail_tabs", "data_page")
    data = find(window, QTableView, "data_table")
    assert data.isVisible()
    assert [data.model().index(0, c).data() for c in range(2)] == ["3", "10"]

    open_tab(qtbot, window, "detail_tabs", "history_page")
    history = find(window, QTableView, "history_table")
    assert history.isVisible() and find(window, QPushButton, "copy_button").isVisible()
    assert history.model().rowCount() == 5
    assert history.selectionModel().isRowSelected(3)  # the iteration on view
    click(qtbot, window, "step_button")  # a step from iteration 3 cuts the later history
    assert history.model().rowCount() == 5 and history.selectionModel().isRowSelected(4)
