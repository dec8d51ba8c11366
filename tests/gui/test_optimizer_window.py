"""The optimizers in the window, used as a student would: choose one in the editing panel, type
its settings, step, and read the arithmetic, the history table and the presentation's reveal."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLabel, QSpinBox, QTableView

from gd_desktop.core import i18n
from gd_desktop.core.iteration_arithmetic import DiagramPart
from gd_desktop.gui.views.quiz import HIDE_SLOPE
from tests.core.test_optimizer_arithmetic import untranslated_words
from tests.gui.helpers import choose_preset, click, explanation, find, open_tab, type_into
from tests.gui.test_presentation import activate, diagram_ring, press
from tests.gui.test_quiz import quiz_on


def choose(qtbot, window, combo_name: str, item_id: str) -> None:
    """Pick the item with this id in a list, as a user's choice sends it."""
    combo = find(window, QComboBox, combo_name)
    index = combo.findData(item_id)
    assert index >= 0, item_id
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def shown_settings(window) -> set[str]:
    boxes = [*window.findChildren(QDoubleSpinBox), *window.findChildren(QSpinBox)]
    return {
        box.objectName() for box in boxes if box.objectName().endswith("_box") and box.isVisible()
    }


def status(window) -> str:
    return find(window, QLabel, "status_message").text()


def slide_one_weight(qtbot, window) -> None:
    """The chapter's example 1 typed in: input 3, weight 2, target 10."""
    type_into(qtbot, find(window, QSpinBox, "input_count"), "1")
    type_into(qtbot, find(window, QDoubleSpinBox, "input_0"), "3")
    type_into(qtbot, find(window, QDoubleSpinBox, "target"), "10")
    type_into(qtbot, find(window, QDoubleSpinBox, "weight_0"), "2")
    assert window.session.problem.inputs.tolist() == [[3.0]]


def test_the_list_names_every_optimizer_and_keys_on_ids(window):
    combo = find(window, QComboBox, "optimizer_combo")
    titles = [combo.itemText(i) for i in range(combo.count())]
    assert titles == ["Plain steps", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam"]
    assert combo.currentData() == "gd"
    assert shown_settings(window) == set()  # plain steps at a constant rate: nothing to set


def test_each_optimizer_shows_only_the_settings_it_uses(qtbot, window):
    expected = {
        "momentum": {"momentum_box"},
        "nesterov": {"momentum_box"},
        "adagrad": {"epsilon_box"},
        "rmsprop": {"alpha_box", "epsilon_box"},
        "adam": {"beta1_box", "beta2_box", "epsilon_box"},
        "gd": set(),
    }
    for name, boxes in expected.items():
        choose(qtbot, window, "optimizer_combo", name)
        assert window.session.problem.optimizer == name
        assert shown_settings(window) == boxes, name
    choose(qtbot, window, "schedule_combo", "step")
    assert shown_settings(window) == {"step_size_box", "gamma_box"}
    choose(qtbot, window, "schedule_combo", "inverse-time")
    assert shown_settings(window) == {"gamma_box"}
    assert window.session.problem.schedule == "inverse-time"


def test_momentum_second_step_is_written_out_with_its_numbers(qtbot, window):
    """Example 1 with momentum: b1 = 0.9 × (−24) + (−19.68) = −41.28, w1 = 2.6528."""
    slide_one_weight(qtbot, window)
    choose(qtbot, window, "optimizer_combo", "momentum")
    assert "b1 = −24 = −24" in explanation(window)
    click(qtbot, window, "step_button")
    text = explanation(window)
    assert "w1: 2 − 0.01 × (−24) = 2.24" in text  # the step just taken
    assert "b1 = 0.9 × (−24) + (−19.68) = −41.28" in text
    assert "new w1 = w1 − learning rate × b1 = 2.24 − 0.01 × (−41.28) = 2.6528" in text
    click(qtbot, window, "step_button")
    assert window.session.current.weights[0] == pytest.approx(2.6528, rel=1e-12)


def test_typed_settings_reach_the_arithmetic(qtbot, window):
    slide_one_weight(qtbot, window)
    choose(qtbot, window, "optimizer_combo", "momentum")
    click(qtbot, window, "step_button")
    type_into(qtbot, find(window, QDoubleSpinBox, "momentum_box"), "0.5")
    assert window.session.problem.momentum == 0.5
    assert window.session.iteration == 0  # a new setting: the history starts again
    click(qtbot, window, "step_button")  # b = −19.68 from 2.24 (the weights shown were kept)
    assert "b1 = 0.5 × (−19.68) + " in explanation(window)


def test_a_momentum_of_1_is_refused_in_words_and_0_9_stays(qtbot, window):
    choose(qtbot, window, "optimizer_combo", "momentum")
    box = find(window, QDoubleSpinBox, "momentum_box")
    type_into(qtbot, box, "1")
    assert window.session.problem.momentum == 0.9
    assert box.value() == 0.9
    assert "from 0 to below 1" in status(window)
    type_into(qtbot, box, "7")  # beyond the box's range
    assert window.session.problem.momentum == 0.9
    assert "is too big, so it stays 0.9" in status(window)
    type_into(qtbot, box, "abc")
    assert box.text() == "0.9"


def test_an_epsilon_of_0_and_a_gamma_of_0_are_refused(qtbot, window):
    choose(qtbot, window, "optimizer_combo", "adam")
    type_into(qtbot, find(window, QDoubleSpinBox, "epsilon_box"), "0")
    assert window.session.problem.epsilon == 1e-8
    assert "above 0" in status(window)
    assert find(window, QDoubleSpinBox, "epsilon_box").value() == pytest.approx(1e-8)
    type_into(qtbot, find(window, QDoubleSpinBox, "epsilon_box"), "1e-20")
    assert window.session.problem.epsilon == 1e-20  # not rounded to 0 by the box
    choose(qtbot, window, "schedule_combo", "exponential")
    type_into(qtbot, find(window, QDoubleSpinBox, "gamma_box"), "0")
    assert window.session.problem.gamma == 0.1
    assert "γ must be a number above 0" in status(window)
    assert "nan" not in explanation(window).lower()


def test_switching_optimizer_mid_run_goes_on_from_the_weights_shown(qtbot, window):
    for _ in range(2):
        click(qtbot, window, "step_button")
    weights = window.session.current.weights.tolist()
    choose(qtbot, window, "optimizer_combo", "adam")
    session = window.session
    assert session.problem.optimizer == "adam"
    assert session.iteration == 0
    assert session.current.weights.tolist() == weights
    text = explanation(window)
    assert "m1 = 0.9 × 0 + (1 − 0.9) × " in text
    assert "v̂1 = " in text
    click(qtbot, window, "step_button")
    assert session.history.state(1).step == 1  # Adam's t counts from the switch


def test_a_schedule_shows_the_rate_in_force(qtbot, window):
    """Step decay by 0.5 every 2 steps: the third step runs at 0.005."""
    choose(qtbot, window, "schedule_combo", "step")
    type_into(qtbot, find(window, QSpinBox, "step_size_box"), "2")
    type_into(qtbot, find(window, QDoubleSpinBox, "gamma_box"), "0.5")
    for _ in range(2):
        click(qtbot, window, "step_button")
    assert "learning rate at this step = 0.01 × 0.5^⌊2 / 2⌋ = 0.005" in explanation(window)


def test_history_table_gains_the_rate_and_the_state(qtbot, window):
    choose(qtbot, window, "optimizer_combo", "momentum")
    choose(qtbot, window, "schedule_combo", "exponential")
    click(qtbot, window, "step_button")
    open_tab(qtbot, window, "detail_tabs", "history_page")
    model = find(window, QTableView, "history_table").model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[-3:] == ["rate", "b1", "b2"]
    row1 = [model.index(1, c).data() for c in range(model.columnCount())]
    assert row1[-3:] == ["0.01", "30", "40"]  # the slopes of the first step, as b
    choose(qtbot, window, "optimizer_combo", "gd")
    choose(qtbot, window, "schedule_combo", "constant")
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[-1] == "change w2"


def test_presentation_reveals_the_optimizer_after_the_slope_and_before_the_step(qtbot, window):
    """Momentum on the slides' two inputs: ① ② ③, the slope, b1, the update, then the step."""
    choose(qtbot, window, "optimizer_combo", "momentum")
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_F5)
    assert window.presentation.presenting
    for _ in range(4):
        press(qtbot, Qt.Key.Key_PageDown)
    text = explanation(window)
    assert "slope for w1 = " in text
    assert "b1 = " not in text
    assert "Next (Page Down): the optimizer's next number for this weight." in text
    press(qtbot, Qt.Key.Key_PageDown)
    text = explanation(window)
    assert "b1 = 30 = 30" in text
    assert "new w1 = " not in text
    assert diagram_ring(window) == DiagramPart("edge", 0)  # b1 belongs to the weight's edge
    press(qtbot, Qt.Key.Key_PageDown)
    text = explanation(window)
    assert "new w1 = w1 − learning rate × b1 = 1 − 0.01 × 30 = 0.7" in text
    assert "Next (Page Down): take the step." in text
    assert window.session.iteration == 0
    press(qtbot, Qt.Key.Key_PageDown)
    assert window.session.iteration == 1


def test_the_quiz_hides_the_optimizers_numbers_that_give_the_answer_away(qtbot, window):
    """Momentum's second step on slide one: the slope −19.68 is in b1's line, so a quiz on the
    slope hides b1's numbers; a quiz on the new weight hides only 2.6528."""
    choose_preset(qtbot, window, "slide-one-weight")
    choose(qtbot, window, "optimizer_combo", "momentum")
    click(qtbot, window, "step_button")
    assert "(−19.68) = −41.28" in explanation(window)  # before the quiz: on screen
    quiz_on(qtbot, window, HIDE_SLOPE)
    text = explanation(window)
    assert "19.68" not in text
    assert "41.28" not in text
    assert "b1 = ?" in text
    assert "2.6528" not in text
    qtbot.mouseClick(find(window, QCheckBox, "quiz_toggle"), Qt.MouseButton.LeftButton)
    quiz_on(qtbot, window, "new weight")
    text = explanation(window)
    assert "b1 = 0.9 × (−24) + (−19.68) = −41.28" in text
    assert "2.6528" not in text
    assert "2.24 − 0.01 × (−41.28) = ?" in text


def test_the_controls_and_the_arithmetic_switch_language_live(qtbot, window):
    """View ▸ Language to the pseudo language: the lists, the settings' names and tooltips and
    every word of the optimizer's arithmetic are translated, with a decimal comma."""
    choose(qtbot, window, "optimizer_combo", "momentum")
    choose(qtbot, window, "schedule_combo", "step")
    click(qtbot, window, "step_button")
    window.language.choose(i18n.PSEUDO)
    try:
        for name in ("optimizer_combo", "schedule_combo"):
            combo = find(window, QComboBox, name)
            assert combo.currentData() in ("momentum", "step")  # the ids stay
            assert all(combo.itemText(i).startswith("⟦") for i in range(combo.count())), name
            assert combo.toolTip().startswith("⟦") and combo.accessibleName().startswith("⟦")
        for name in ("momentum_box", "gamma_box"):
            box = find(window, QDoubleSpinBox, name)
            assert box.toolTip().startswith("⟦") and box.accessibleName().startswith("⟦"), name
        assert find(window, QSpinBox, "step_size_box").toolTip().startswith("⟦")
        text = explanation(window)
        assert "b1 = 0,9 × 30 + 15 = 42" in text
        for line in text.splitlines():
            assert untranslated_words(line) == [], line
    finally:
        window.language.choose("")
    assert "b1 = 0.9 × 30 + 15 = 42" in explanation(window)
    assert find(window, QComboBox, "optimizer_combo").currentText() == "Momentum"


def test_a_settings_tooltip_says_what_it_means_and_its_exact_value(qtbot, window):
    choose(qtbot, window, "optimizer_combo", "rmsprop")
    type_into(qtbot, find(window, QDoubleSpinBox, "alpha_box"), "0.95")
    tip = find(window, QDoubleSpinBox, "alpha_box").toolTip()
    assert "mean squared slope RMSProp keeps" in tip
    assert "0.95" in tip


def test_presentation_with_a_schedule_reveals_the_rate_before_the_update(qtbot, window):
    """Plain steps with exponential decay: after the slope, the rate in force, then the update."""
    choose(qtbot, window, "schedule_combo", "exponential")
    activate(qtbot, window)
    press(qtbot, Qt.Key.Key_F5)
    for _ in range(4):
        press(qtbot, Qt.Key.Key_PageDown)
    assert "Next (Page Down): the learning rate in force at this step." in explanation(window)
    press(qtbot, Qt.Key.Key_PageDown)
    text = explanation(window)
    assert "learning rate at this step = 0.01 × 0.1^0 = 0.01" in text
    assert "Next (Page Down): the update of the weight." in text
    press(qtbot, Qt.Key.Key_PageDown)
    assert "new w1 = w1 − learning rate × slope = 1 − 0.01 × 30 = 0.7" in explanation(window)
    assert window.session.iteration == 0
