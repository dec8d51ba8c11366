"""Thousands of Qt calls in one process: guards against binding leaks like PySide6 6.12 on 3.11.

PySide6-Essentials 6.12.0 on CPython 3.11 aborted with ``Fatal Python error: none_dealloc`` after
about 45 Steps. The pin in pyproject.toml avoids it; this test makes sure no upgrade brings it back.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QSlider

STEPS = 3000


def test_thousands_of_steps_and_run_reset_cycles(qtbot, window):
    """Click Step thousands of times, then cycle Run/Pause/Reset, without a crash or a leak."""
    step = window.findChild(QPushButton, "step_button")
    run = window.findChild(QPushButton, "run_button")
    reset = window.findChild(QPushButton, "reset_button")
    window.session.set_learning_rate(0.0001)  # slow enough not to converge within the soak
    for i in range(STEPS):
        qtbot.mouseClick(step, Qt.MouseButton.LeftButton)
        if i % 50 == 0:
            QApplication.processEvents()  # let the plots repaint as they would on screen
    assert window.session.iteration == STEPS
    assert window.readout.values["iteration"].text() == str(STEPS)
    slider = window.findChild(QSlider, "speed_slider")
    slider.setValue(slider.maximum())
    for _ in range(20):
        qtbot.mouseClick(run, Qt.MouseButton.LeftButton)
        qtbot.wait(30)
        qtbot.mouseClick(run, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(reset, Qt.MouseButton.LeftButton)
    assert window.session.iteration == 0
    assert not window.session.is_running
