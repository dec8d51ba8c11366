"""The contour map: the loss over two weights, the descent path on it, drawn only when seen."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QComboBox

from gd_desktop.core import engine
from gd_desktop.gui.views.contour_plot import contour_levels
from tests.gui.helpers import click, find


def open_map(window) -> None:
    window.lower_tabs.setCurrentIndex(window.lower_tabs.indexOf(window.contour_page))


def test_map_shows_the_path_and_the_point(qtbot, window):
    """After three steps the path has four points ending at the weights on view."""
    open_map(window)
    for _ in range(3):
        click(qtbot, window, "step_button")
    xs, ys = window.contour.path.getData()
    history = window.session.history.weights
    np.testing.assert_array_equal(xs, history[:, 0])
    np.testing.assert_array_equal(ys, history[:, 1])
    assert window.contour.point.position() == (history[-1, 0], history[-1, 1])
    assert window.contour.start.position() == (1.0, 2.0)


def test_map_is_the_engines_loss_over_the_grid(qtbot, window):
    """The colours come from the engine's loss at each grid point (log scale)."""
    open_map(window)
    shade = window.contour.image.image
    (x0, x1), (y0, y1) = window.contour._x_view, window.contour._y_view
    problem, weights = window.session.problem, window.session.current.weights
    grid = engine.loss_grid(
        problem,
        weights,
        0,
        1,
        np.linspace(x0, x1, shade.shape[1]),
        np.linspace(y0, y1, shade.shape[0]),
    )
    assert np.argmin(shade) == np.argmin(grid)  # the darkest cell is the lowest loss
    assert np.argmax(shade) == np.argmax(grid)


def test_choosing_weights_changes_the_map(qtbot, window):
    """A hidden network offers every weight by name; the title names the two chosen."""
    window.session.load([[3.0, 4.0]], [6.0], [0.5, 0.5, 0.1, 0.2, 0.3, 0.4], 0.01, 2, "tanh")
    open_map(window)
    first = find(window, QComboBox, "contour_first")
    second = find(window, QComboBox, "contour_second")
    assert first.count() == 6
    second.setCurrentIndex(3)
    assert "w(x2→h1)" in window.contour.plot.getPlotItem().titleLabel.text


def test_one_weight_has_no_map_and_says_why(qtbot, window):
    """With a single weight the map asks for two instead of drawing nonsense."""
    window.session.load([[3.0]], [10.0], [2.0], 0.01)
    open_map(window)
    assert "two different weights" in window.contour.plot.getPlotItem().titleLabel.text


def test_map_is_not_computed_while_hidden(qtbot, window, monkeypatch):
    """Stepping with the map's tab closed never computes the grid; opening the tab does."""
    calls = []
    real_loss_grid = engine.loss_grid

    def counted_loss_grid(*args, **kwargs):
        calls.append(1)
        return real_loss_grid(*args, **kwargs)

    monkeypatch.setattr(engine, "loss_grid", counted_loss_grid)
    open_map(window)
    opened = len(calls)
    assert opened > 0  # the map really draws through engine.loss_grid
    window.lower_tabs.setCurrentIndex(0)  # another tab: the map is hidden
    assert window.lower_tabs.currentWidget() is not window.contour_page
    for _ in range(3):
        click(qtbot, window, "step_button")
    assert len(calls) == opened
    open_map(window)
    xs, _ = window.contour.path.getData()  # shown again: drawn for the newest weights
    assert len(xs) == 4
    newest = window.session.history.weights[-1]
    assert window.contour.point.position() == (newest[0], newest[1])


@pytest.mark.parametrize(
    ("grid", "count"), [(np.array([[0.0, 1.0], [10.0, 100.0]]), 7), (np.ones((2, 2)), 0)]
)
def test_levels_are_spread_in_log_loss(grid, count):
    """Contour levels lie strictly between the lowest and highest loss, evenly in log."""
    levels = contour_levels(grid)
    assert len(levels) == count
    if levels:
        ratios = np.diff(np.log(levels))
        np.testing.assert_allclose(ratios, ratios[0])
        assert grid.min() < levels[0] and levels[-1] < grid.max()
