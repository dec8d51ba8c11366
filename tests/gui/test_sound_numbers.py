"""Numbers that overflow, driven like a user: the window refuses them in words, shows the last
finite state, and no view is handed an inf or NaN (issue 11's monkey found each of these)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QDoubleSpinBox, QSlider, QSpinBox, QWidget

from gd_desktop.core.resources import resources_dir
from gd_desktop.core.run import START_TOO_LARGE, STOP_SENTENCES, StopReason
from tests.gui.helpers import all_visible_text, click, find, shown, type_into
from tests.gui.monkey_inputs import NON_FINITE


def plotted_values_are_finite(window) -> bool:
    for plot in window.findChildren(pg.PlotWidget):
        item = plot.getPlotItem()
        ranges = item.getViewBox().viewRange()
        if not all(math.isfinite(v) for pair in ranges for v in pair):
            return False
        for data in item.listDataItems():
            for values in data.getData():
                if values is not None and len(values) and not np.all(np.isfinite(values)):
                    return False
    return True


def test_pasting_rows_of_1e308_is_refused_in_words_and_changes_nothing(qtbot, window):
    """The loss of 1e308 rows overflows: it was drawn and written as inf; now the rows are
    refused, the table shows the data the run still has, and nothing on screen is inf."""
    before = window.session.problem
    messages = []
    window.session.message.connect(lambda text, warning: messages.append((text, warning)))
    panel = window.data_panel
    QGuiApplication.clipboard().setText("1e308,1e308,1e308\n")
    click(qtbot, panel, "paste_button")
    QApplication.processEvents()
    assert (START_TOO_LARGE, True) in messages
    assert window.session.problem is before
    assert panel.model.rowCount() == before.row_count
    assert not NON_FINITE.search(all_visible_text(window))
    assert plotted_values_are_finite(window)


def test_a_hidden_layer_that_diverges_says_so_in_words(qtbot, window):
    """A hidden layer has no critical rate: its diverging run wrote format_number(None), a
    TypeError; now it stops with a sentence, and every view shows its last finite state."""
    messages = []
    window.session.message.connect(lambda text, warning: messages.append((text, warning)))
    type_into(qtbot, find(window, QSpinBox, "hidden_count"), "2")
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "10")
    slider = find(window, QSlider, "speed_slider")
    slider.setValue(slider.maximum())  # full speed
    click(qtbot, window, "run_button")
    qtbot.waitUntil(lambda: not window.session.is_running, timeout=20_000)
    assert window.session.current.is_finite
    warnings = [text for text, warning in messages if warning]
    assert warnings and "too big" in warnings[-1]
    assert not NON_FINITE.search(all_visible_text(window))
    assert plotted_values_are_finite(window)


def test_a_weight_box_the_problem_no_longer_has_commits_without_an_error(qtbot, window):
    """After a change of shape, the edit pending in a hidden weight box raised IndexError
    ("index 3 is out of bounds for axis 0 with size 2"); now it is let go."""
    box = find(window, QDoubleSpinBox, "weight_1")
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "3")  # typed, not yet committed
    window.session.set_input_count(1)  # a lesson key would do it with the focus in the box
    assert window.session.problem.weight_count == 1
    assert not box.isVisible()
    box.editingFinished.emit()  # the hidden box's edit ends
    box.clearFocus()
    QApplication.processEvents()
    assert window.session.problem.weight_count == 1
    click(qtbot, window, "step_button")
    assert window.session.iteration == 1


def test_a_diverging_run_stops_at_its_last_finite_state_in_every_view(qtbot, window):
    """Learning rate 10 on the course example, stepped until the numbers would overflow: the
    run stops at its last finite state; the readout, the diagram and the plots show it."""
    type_into(qtbot, find(window, QDoubleSpinBox, "learning_rate"), "10")
    for _ in range(200):  # a Step only warns that it diverges; it stops where it overflows
        click(qtbot, window, "step_button")
    session = window.session
    assert shown(window, "status_message").endswith(STOP_SENTENCES[StopReason.OVERFLOW])
    assert session.current.is_finite
    assert 10 < session.iteration < 200
    assert shown(window, "iteration_value") == str(session.iteration)
    assert not NON_FINITE.search(all_visible_text(window))
    assert plotted_values_are_finite(window)
    # The diagram paints and returns (a pen of infinite width never did).
    assert not find(window, QWidget, "network_view").grab().isNull()


def test_opening_a_smaller_lesson_while_running_redraws_the_map_without_an_error(qtbot, window):
    """The monkey's IndexError in the contour map: a lesson of two weights opened while a run
    of three went on; pausing redrew the map with the old choice before the new problem was
    announced. Now the run pauses first, and the map never reads a weight that is not there."""
    type_into(qtbot, find(window, QSpinBox, "input_count"), "3")
    window.lower_tabs.setCurrentIndex(window.lower_tabs.indexOf(window.contour_page))
    find(window, QComboBox, "contour_second").setCurrentIndex(2)  # weight 3
    click(qtbot, window, "run_button")
    assert window.session.is_running
    assert window.lesson_files.open_lesson(
        resources_dir() / "lessons" / "slide-two-inputs.gdlesson"
    )
    QApplication.processEvents()
    assert not window.session.is_running
    assert window.session.problem.weight_count == 2
    assert window.contour.weights_shown == (0, 1)
    assert plotted_values_are_finite(window)
