"""Light, dark and high-contrast looks for the whole window, plots included.

Colours stay the colour-blind-safe Okabe–Ito set in every theme, and meaning is never carried by
colour alone (shapes, line styles and words say it too); a theme only changes the ground and ink.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from gd_desktop.core.i18n import N_
from gd_desktop.gui.views.plot_style import style_plot  # noqa: F401 (the window imports it here)


@dataclass(frozen=True)
class Theme:
    id: str  # what preferences store and code keys on; never shown
    label: str  # what the View menu says
    ground: str  # window and plot background
    base: str  # text fields, the diagram's ground
    ink: str  # text and axes
    muted: str  # secondary text
    highlight: str  # the ground of the highlighted weight's arithmetic
    disabled: str  # the text of a control that cannot be used now: clearly fainter than ink
    disabled_ground: str  # its ground (buttons and boxes)
    link: str  # links (the arithmetic's "show the per-row terms")


# By id. The default (light) is the platform's own look: it is not applied at start.
THEMES = {
    "light": Theme(
        "light", N_("Light"), "#EFEFEF", "#FFFFFF", "#111111", "#555555", "#FFF6BF",
        "#9A9A9A", "#E2E2E2", "#0060A0",
    ),
    "dark": Theme(
        "dark", N_("Dark"), "#202124", "#2B2C30", "#F1F1F1", "#B8B8B8", "#4A4200",
        "#6E7076", "#26272A", "#7CC3F0",
    ),
    "high contrast": Theme(
        "high contrast", N_("High contrast"), "#FFFFFF", "#FFFFFF", "#000000", "#000000", "#FFE800",
        "#8C8C8C", "#E6E6E6", "#0000C0",
    ),
}  # fmt: skip
DEFAULT_THEME = "light"

# The status line's three kinds of sentence, by id: what it says now, good news, a warning.
INFO, GOOD_NEWS, WARNING = "info", "good news", "warning"
#: Per theme and kind: (ground, ink, border). Good news is green with a tick, a warning orange
#: with ⚠: the mark and the words say it too, not the colour alone.
STATUS_COLOURS = {
    "light": {
        INFO: ("#E8F1F8", "#123A55", "#0072B2"),
        GOOD_NEWS: ("#E2F3EC", "#0A4A30", "#009E73"),
        WARNING: ("#FDE8D7", "#7A2E00", "#D55E00"),
    },
    "dark": {
        INFO: ("#1A2A36", "#D8EAF7", "#56B4E9"),
        GOOD_NEWS: ("#143128", "#C9F0DF", "#009E73"),
        WARNING: ("#3B2314", "#FFDCC4", "#E07B39"),
    },
    "high contrast": {
        INFO: ("#FFFFFF", "#000000", "#000000"),
        GOOD_NEWS: ("#FFFFFF", "#000000", "#007A58"),
        WARNING: ("#FFFFFF", "#000000", "#C04000"),
    },
}
STATUS_MARKS = {INFO: "", GOOD_NEWS: "✔ ", WARNING: "⚠ "}


def status_style(theme: Theme, kind: str) -> str:
    """The status line's look for a sentence of ``kind`` in ``theme``."""
    ground, ink, border = STATUS_COLOURS[theme.id][kind]
    width = 3 if theme.id == "high contrast" or kind != INFO else 2
    return f"background: {ground}; color: {ink}; border: {width}px solid {border};"


def palette_for(theme: Theme) -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, theme.ground),
        (roles.Base, theme.base),
        (roles.AlternateBase, theme.ground),
        (roles.Button, theme.ground),
        (roles.WindowText, theme.ink),
        (roles.Text, theme.ink),
        (roles.ButtonText, theme.ink),
        (roles.ToolTipBase, theme.base),
        (roles.ToolTipText, theme.ink),
        (roles.PlaceholderText, theme.muted),
        (roles.Highlight, "#0072B2"),
        (roles.HighlightedText, "#FFFFFF"),
        (roles.Link, theme.link),
        (roles.LinkVisited, theme.link),
        (roles.BrightText, theme.ink),
    ):
        palette.setColor(role, QColor(colour))
    # Fusion draws bevels, slider grooves and frames from these: derived from the ground so a
    # dark theme has no light edges left from the platform's palette.
    ground = QColor(theme.ground)
    for role, shade in (
        (roles.Light, ground.lighter(130)),
        (roles.Midlight, ground.lighter(112)),
        (roles.Mid, ground.darker(130)),
        (roles.Dark, ground.darker(180)),
        (roles.Shadow, ground.darker(300)),
    ):
        palette.setColor(role, shade)
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText, roles.PlaceholderText):
        palette.setColor(disabled, role, QColor(theme.disabled))
    for role in (roles.Button, roles.Base):
        palette.setColor(disabled, role, QColor(theme.disabled_ground))
    palette.setColor(disabled, roles.Highlight, QColor(theme.disabled))
    return palette


def apply_application_theme(theme: Theme) -> None:
    """The whole window in ``theme``: the style, the palette, and every widget told again.

    Widgets that were given a palette of their own keep it over the application's; setting it
    again on each one makes a round trip (dark, then light) leave nothing of the old theme,
    disabled controls included.
    """
    app = QApplication.instance()
    available = QStyleFactory.keys()  # a list of names
    if "Fusion" in available:
        app.setStyle("Fusion")  # the one style that follows a palette everywhere
    palette = palette_for(theme)
    app.setPalette(palette)
    # Looked at first, told after: a palette change runs change handlers (Qt's and ours) that may
    # delete a transient widget (a tooltip, a popup) listed here, so each is checked before use.
    own = [w for w in app.allWidgets() if w.testAttribute(Qt.WidgetAttribute.WA_SetPalette)]
    for widget in own:
        if shiboken6.isValid(widget):
            widget.setPalette(palette)
