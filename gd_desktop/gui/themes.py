"""Light, dark and high-contrast looks for the whole window, plots included.

Colours stay the colour-blind-safe Okabe–Ito set in every theme, and meaning is never carried by
colour alone (shapes, line styles and words say it too); a theme only changes the ground and ink.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

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


# By id. The default (light) is the platform's own look: it is not applied at start.
THEMES = {
    "light": Theme("light", "Light", "#EFEFEF", "#FFFFFF", "#111111", "#555555", "#FFF6BF"),
    "dark": Theme("dark", "Dark", "#202124", "#2B2C30", "#F1F1F1", "#B8B8B8", "#4A4200"),
    "high contrast": Theme(
        "high contrast", "High contrast", "#FFFFFF", "#FFFFFF", "#000000", "#000000", "#FFE800"
    ),
}
DEFAULT_THEME = "light"


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
    ):
        palette.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(theme.muted))
    return palette


def apply_application_theme(theme: Theme) -> None:
    app = QApplication.instance()
    available = QStyleFactory.keys()  # a list of names
    if "Fusion" in available:
        app.setStyle("Fusion")  # the one style that follows a palette everywhere
    app.setPalette(palette_for(theme))
