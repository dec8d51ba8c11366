"""Every theme reaches every part of the window, and disabled controls look disabled in each,
also after a round trip through the others."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLabel, QWidget

from gd_desktop.gui.themes import INFO, STATUS_COLOURS, THEMES
from tests.gui.helpers import click, find

THEME_IDS = list(THEMES)


@pytest.fixture(autouse=True)
def the_application_s_look_restored():
    """A theme is the application's, not the window's: later tests get the look they began with."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    palette, style = QPalette(app.palette()), app.style().name()
    yield
    app.setStyle(style)
    app.setPalette(palette)


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def pixel(widget: QWidget, x: int, y: int) -> QColor:
    return widget.grab().toImage().pixelColor(x, y)


def disabled_controls(window) -> list[QWidget]:
    controls = (QAbstractButton, QAbstractSpinBox, QComboBox)
    return [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, controls) and w.isVisible() and not w.isEnabled()
    ]


@pytest.mark.parametrize("theme_id", THEME_IDS)
def test_the_status_line_and_the_diagram_take_the_theme(qtbot, window, theme_id):
    """The status box and the diagram's equation strip stayed white in the dark theme."""
    theme = THEMES[theme_id]
    window.appearance.set_theme(theme_id)
    click(qtbot, window, "step_button")
    status = find(window, QLabel, "status_message")
    assert status.property("kind") == INFO
    ground = QColor(STATUS_COLOURS[theme_id][INFO][0])
    assert pixel(status, status.width() - 8, status.height() // 2) == ground
    diagram = window.network_view
    strip = int(diagram._strip_height())
    assert pixel(diagram, 14, diagram.height() - strip // 2) == QColor(theme.base)
    if theme_id == "dark":
        assert ground.lightness() < 80 and QColor(theme.base).lightness() < 80


@pytest.mark.parametrize("theme_id", THEME_IDS)
def test_the_numeric_check_reads_on_the_highlight(window, theme_id):
    """The check's quieter ink stays readable on the highlighted block (it was grey on olive)."""
    theme = THEMES[theme_id]
    window.appearance.set_theme(theme_id)
    html = window.explanation.toHtml()
    muted = QColor(window.arithmetic_panel._muted)
    assert muted.name().lower() in html.lower()
    assert contrast(muted, QColor(theme.highlight)) >= 4.5
    assert contrast(muted, QColor(theme.base)) >= 3.0


@pytest.mark.parametrize("theme_id", THEME_IDS)
def test_disabled_controls_look_disabled_also_after_a_round_trip(qtbot, window, theme_id):
    """Forward and the activation list start disabled: fainter than enabled text in every theme,
    and still after going through every other theme and back."""
    for round_trip in ([theme_id], [*THEME_IDS, theme_id]):
        for chosen in round_trip:
            window.appearance.set_theme(chosen)
            qtbot.wait(1)  # the palette reaches every widget as the window would paint
        theme = THEMES[theme_id]
        controls = disabled_controls(window)
        assert {"forward_button", "activation"} <= {w.objectName() for w in controls}
        for widget in controls:
            palette = widget.palette()
            for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Text):
                enabled = palette.color(QPalette.ColorGroup.Active, role)
                disabled = palette.color(QPalette.ColorGroup.Disabled, role)
                assert enabled == QColor(theme.ink), widget.objectName()
                assert disabled == QColor(theme.disabled), widget.objectName()
                assert contrast(enabled, QColor(theme.ground)) > 1.8 * contrast(
                    disabled, QColor(theme.ground)
                ), (theme_id, widget.objectName())
