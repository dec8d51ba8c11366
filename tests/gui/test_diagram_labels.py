"""The network diagram's labels as a student sees them: for every course lesson, after a few
Steps, on both classroom screens, no label covers a node or another label, and every node's
value lies inside its circle (issue 12: edge labels covered nodes, values spilled out)."""

from __future__ import annotations

import math
from itertools import combinations

import pytest
from PySide6.QtWidgets import QApplication

from gd_desktop.core.presets import PRESETS
from tests.gui.helpers import choose_preset, click
from tests.gui.test_layout import SCREENS, place_on_screen


def covers(rect, centre, radius: float) -> bool:
    nearest_x = min(max(centre.x(), rect.left()), rect.right())
    nearest_y = min(max(centre.y(), rect.top()), rect.bottom())
    return math.hypot(centre.x() - nearest_x, centre.y() - nearest_y) < radius


def what_is_wrong(view) -> list[str]:
    """Every label that covers a node or another label, and every value out of its circle."""
    view.repaint()  # the labels are placed as they are painted
    wrong = []
    boxes = view.label_boxes
    assert boxes, "no labels painted"
    for (first, a), (second, b) in combinations(boxes.items(), 2):
        if a.intersects(b):
            wrong.append(f"{first} overlaps {second}")
    for name, box in boxes.items():
        for centre, radius in view.node_circles:
            if covers(box, centre, radius):
                wrong.append(f"{name} covers the node at {centre.x():.0f}, {centre.y():.0f}")
        if not view.rect().contains(box.toAlignedRect()):
            wrong.append(f"{name} leaves the diagram")
    for text, box, radius in view.node_texts:
        centre = box.center()
        corners = [box.topLeft(), box.topRight(), box.bottomLeft(), box.bottomRight()]
        if any(math.hypot(c.x() - centre.x(), c.y() - centre.y()) > radius for c in corners):
            wrong.append(f"the value {text!r} spills out of its node")
    return wrong


@pytest.mark.parametrize("screen", ["1024x768", "1280x800"])
def test_no_diagram_label_covers_a_node_or_another_label_in_any_lesson(qtbot, window, screen):
    place_on_screen(qtbot, window, SCREENS[screen])
    problems = []
    for preset in PRESETS:
        choose_preset(qtbot, window, preset.id)
        for _ in range(3):
            click(qtbot, window, "step_button")
        QApplication.processEvents()
        count = window.session.problem.weight_count
        # With a hidden layer only the chosen edge is labelled: choose each in turn.
        chosen = range(count) if window.session.problem.hidden_count else [0]
        for index in chosen:
            window.on_weight_chosen(index)
            QApplication.processEvents()
            problems += [f"{preset.id}, w{index}: {p}" for p in what_is_wrong(window.network_view)]
    assert not problems, "\n".join(problems)


def test_labels_stay_clear_with_values_of_any_size(qtbot, window):
    """A weight of 1.23457e+15 and its slope make the widest labels: still clear."""
    choose_preset(qtbot, window, "slide-two-inputs")
    assert window.session.set_fields(learning_rate=0.3)  # diverges: numbers grow fast
    for _ in range(12):
        click(qtbot, window, "step_button")
    assert abs(window.session.shown.weights[0]) > 1e6
    QApplication.processEvents()
    assert not what_is_wrong(window.network_view)
