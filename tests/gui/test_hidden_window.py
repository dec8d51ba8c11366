"""The hidden layer in the real window: typing the network, reading the arithmetic and diagram."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QSpinBox, QTextBrowser, QWidget

from gd_desktop.core import engine
from tests.gui.helpers import choose_preset, click, explanation, find, shown, type_into


def test_typing_a_hidden_layer_shows_every_weight_by_name(qtbot, window):
    """Two hidden nodes on two inputs: six weights, named by their edges, each with a slope."""
    type_into(qtbot, find(window, QSpinBox, "hidden_count"), "2")
    problem = window.session.problem
    assert problem.hidden_count == 2 and problem.weight_count == 6
    names = [window.parameters.weight_names[k].text() for k in range(6)]
    assert names == ["w(h1→out)", "w(h2→out)", "w(x1→h1)", "w(x2→h1)", "w(x1→h2)", "w(x2→h2)"]
    assert find(window, QDoubleSpinBox, "weight_5").isVisible()
    assert shown(window, "slope_5") != ""
    assert "no single critical rate" in shown(window, "critical_rate")
    assert "h1" in explanation(window) and "→ identity(" in explanation(window)


def test_choosing_an_activation_changes_the_forward_pass(qtbot, window):
    """With tanh the hidden values are tanh of the sums, and the slopes follow."""
    type_into(qtbot, find(window, QSpinBox, "hidden_count"), "1")
    combo = find(window, QComboBox, "activation")
    combo.setCurrentIndex(combo.findData("tanh"))
    combo.activated.emit(combo.currentIndex())  # what a user's choice sends
    session = window.session
    assert session.problem.activation == "tanh"
    sums, values = session.current.hidden_sums, session.current.hidden_values
    np.testing.assert_allclose(values, np.tanh(sums))
    window.on_weight_chosen(1)  # a hidden weight, its three factors written out
    assert "slope of tanh at h1's sum" in explanation(window)


def test_relu_preset_learns_what_a_linear_node_cannot(qtbot, window):
    """|x| stays at loss 2 for one linear node, and goes to 0 with two ReLU nodes."""
    choose_preset(qtbot, window, "linear-cannot-fit-abs")
    window.session._advance(5000)
    assert window.session.current.loss == pytest.approx(2.0, abs=1e-9)
    choose_preset(qtbot, window, "relu-fits-abs")
    assert window.session.problem.row_count == 5
    assert find(window, QLabel, "rows_note").text() == "5 rows · step:"
    window.session._advance(5000)
    assert window.session.current.loss < 1e-12


def test_switched_off_relu_node_is_said_in_words(qtbot, window):
    """A ReLU node with negative sums: the panel says its weights do not learn."""
    window.session.load([[1.0, 2.0]], [1.0], [1.0, 1.0, 0.5, 0.5, -1.0, -1.0], 0.1, 2, "relu")
    text = explanation(window)
    assert "this weight does not learn: h2 is switched off" in text
    assert "h2: sum = 1 × (−1) + 2 × (−1) = −3 → relu(−3) = 0" in text


def test_clicking_a_hidden_edge_selects_that_weight(qtbot, window):
    """A click on the x2→h1 edge follows that weight on the loss curve."""
    window.session.load([[3.0, 4.0]], [6.0], [0.5, 0.5, 0.1, 0.2, 0.3, 0.4], 0.01, 2, "tanh")
    view = find(window, QWidget, "network_view")
    point = view.edge_point(3, along=0.25).toPoint()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point)
    assert window.loss_plot.weight_index == 3
    assert "w(x2→h1)" in window.loss_plot.getPlotItem().titleLabel.text
    assert (
        "Weight w(x2→h1) (on the loss curve)"
        in find(window, QTextBrowser, "explanation").toPlainText()
    )
    xs, ys = window.loss_plot.curve.getData()
    moved = window.session.current.weights.copy()
    moved[3] = xs[10]
    assert ys[10] == pytest.approx(engine.loss_of(window.session.problem, moved))


def test_stepping_a_hidden_network_matches_the_engine(qtbot, window):
    """Steps through the window give exactly the engine's numbers."""
    start = [0.5, -0.3, 0.1, 0.2, 0.3, -0.4]
    window.session.load([[3.0, 4.0]], [6.0], start, 0.01, 2, "sigmoid")
    for _ in range(3):
        click(qtbot, window, "step_button")
    problem = window.session.problem
    expected = engine.run(problem, start, 3).evaluations[-1]
    np.testing.assert_array_equal(window.session.current.weights, expected.weights)


def test_removing_the_hidden_layer_returns_to_the_slides(qtbot, window):
    """Hidden nodes back to none: one weight per input again, named w1, w2."""
    type_into(qtbot, find(window, QSpinBox, "hidden_count"), "2")
    type_into(qtbot, find(window, QSpinBox, "hidden_count"), "0")
    assert window.session.problem.weight_count == 2
    assert window.parameters.weight_names[0].text() == "w1"
    assert not find(window, QDoubleSpinBox, "weight_2").isVisible()
    assert "Diverges above" in shown(window, "critical_rate")


def test_editing_the_data_tab_starts_a_new_problem(qtbot, window, tmp_path):
    """Rows imported in the Data tab become the lesson's data; a bad file changes nothing."""
    panel = window.data_panel
    good = tmp_path / "rows.csv"
    good.write_text("x1,x2,target\n3,4,6\n1,2,1\n0,1,2\n")
    with qtbot.waitSignal(panel.data_edited, timeout=10_000):
        panel.import_csv(good)
    session = window.session
    assert session.problem.row_count == 3
    assert session.iteration == 0
    assert find(window, QLabel, "rows_note").text() == "3 rows · step:"
    assert window.history_table.model().headerData(4, Qt.Orientation.Horizontal) == (
        "error (row 1)"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,3\n4,x,9\n")
    with qtbot.waitSignal(panel.message, timeout=10_000) as blocker:
        panel.import_csv(bad)
    qtbot.waitUntil(lambda: not panel.import_in_progress(), timeout=10_000)
    assert "Line 2, column 2" in blocker.args[0] or "Line 2, column 2" in shown(
        window, "status_message"
    )
    assert session.problem.row_count == 3


def test_mini_batches_in_the_window(qtbot, window):
    """Several rows offer a batch size; the plot then shows both losses, the panel the rows."""
    assert not window.parameters.batch_row.isVisible()
    window.session.load([[1.0], [2.0], [3.0], [4.0]], [1.0, 2.0, 3.0, 4.0], [0.0], 0.02)
    assert window.parameters.batch_row.isVisible()
    type_into(qtbot, find(window, QSpinBox, "batch_size"), "1")
    assert window.session.problem.batch_size == 1
    rows = window.session.problem.batch_rows(0)
    assert f"the next step learns from rows {rows[0] + 1}" in explanation(window)
    for _ in range(5):
        click(qtbot, window, "step_button")
    bx, by = window.error_plot.batch_curve.getData()
    np.testing.assert_array_equal(by, window.session.history.batch_losses[1:])
    xs, ys = window.error_plot.getPlotItem().listDataItems()[0].getData()
    np.testing.assert_array_equal(ys, window.session.history.losses)
    assert "each step's 1 row" in window.error_plot.getPlotItem().titleLabel.text
    legend = window.error_plot.legend_label.text().replace("&nbsp;", " ")
    assert "the step's 1 row" in legend
