"""How the window looks: theme, text size, full screen, and the preferences that remember them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from gd_desktop.core.i18n import _
from gd_desktop.gui.i18n import localize_plot_axes
from gd_desktop.gui.settings import Preferences
from gd_desktop.gui.themes import DEFAULT_THEME, THEMES, Theme, apply_application_theme
from gd_desktop.gui.views.plot_style import scale_plot_fonts, style_plot

TEXT_STEP = 1.15  # Ctrl++ and Ctrl+− multiply or divide the text size by this
TEXT_SCALE_RANGE = (0.6, 3.0)
WINDOW_SIZE = (1500, 940)  # at most this, and at most most of the screen
# From this screen width the editing panel is shown until the teacher chooses: on a narrower one
# the arithmetic and the plots need its room. Larger text needs this much per 100 % of text, if
# that is more (1280 px has room at 132 %, not at 150 %).
ROOMY_SCREEN_WIDTH = 1200
ROOMY_WIDTH_PER_TEXT_SCALE = 900
EDITING_PANEL_SHARE = 0.3  # of the screen's width, at most, for the editing panel to be shown
# From this screen height (in proportion to the text size) the diagram, the error plot and the
# loss curve stand one over the other; on a lower one the two plots share tabs.
TALL_SCREEN_HEIGHT = 700


class Appearance(QObject):
    """Owns the theme and the text scale; says when either changed, and what to tell the user."""

    theme_changed = Signal(object)  # the Theme just applied
    theme_chosen = Signal(str)  # the id of the theme in use (for the menu's check mark)
    message = Signal(str, bool)
    text_scaled = Signal(float)  # the new text scale: the window may reflow

    def __init__(
        self, window: QMainWindow, preferences: Preferences, plots: Callable[[], list]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._preferences = preferences
        self._plots = plots  # every pyqtgraph plot that exists now
        self.theme: Theme = THEMES[DEFAULT_THEME]
        self.text_scale = 1.0
        self._base_point_size: float | None = None
        self._own_fonts: dict[QWidget, float] = {}

    # ----------------------------------------------------------------- theme
    def set_theme(self, theme_id: str) -> None:
        """Apply the theme with this id (an unknown id gives the default)."""
        theme = THEMES.get(theme_id, THEMES[DEFAULT_THEME])
        self.theme = theme
        apply_application_theme(theme)
        for plot in self._plots():
            style_plot(plot, theme)
        self._preferences.theme = theme.id
        self.theme_changed.emit(theme)
        self.theme_chosen.emit(theme.id)

    def style_new_plot(self, plot) -> None:
        """A plot made after start (the contour map, the comparison) looks like the others."""
        style_plot(plot, self.theme)
        scale_plot_fonts(plot, self.text_scale)
        localize_plot_axes(plot)  # tick numbers with the language's decimal separator

    # ----------------------------------------------------------------- text size
    def larger_text(self) -> None:
        self.scale_text(TEXT_STEP)

    def smaller_text(self) -> None:
        self.scale_text(1 / TEXT_STEP)

    def normal_text(self) -> None:
        self.scale_text(None)

    def scale_text(self, factor: float | None) -> None:
        """Scale every font in the window (the plots' too), or go back to the normal size.

        ``factor`` multiplies the present scale; None is the normal size.
        """
        app = QApplication.instance()
        if self._base_point_size is None:
            self._base_point_size = app.font().pointSizeF()
            # Widgets with a font of their own (big buttons, the readout) keep their proportion.
            self._own_fonts = {
                widget: widget.font().pointSizeF()
                for widget in self._window.findChildren(QWidget)
                if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont)
            }
        if factor is None:
            self.text_scale = 1.0
        else:
            low, high = TEXT_SCALE_RANGE
            self.text_scale = min(high, max(low, self.text_scale * factor))
        font = app.font()
        font.setPointSizeF(self._base_point_size * self.text_scale)
        app.setFont(font)
        for widget, points in self._own_fonts.items():
            own = widget.font()
            own.setPointSizeF(points * self.text_scale)
            widget.setFont(own)
        for plot in self._plots():
            scale_plot_fonts(plot, self.text_scale)
        self._preferences.text_scale = self.text_scale
        self.text_scaled.emit(self.text_scale)
        self.message.emit(
            _("Text at {percent} %.").format(percent=round(self.text_scale * 100)), False
        )

    # ----------------------------------------------------------------- window
    def toggle_full_screen(self) -> None:
        if self._window.isFullScreen():
            self._window.showNormal()
            # The size before full screen may no longer fit (larger text, another lesson).
            QTimer.singleShot(0, self.keep_on_screen)
        else:
            self._window.showFullScreen()

    def keep_on_screen(self) -> None:
        """Shrink the window to the screen's free area if it has grown past it."""
        window = self._window
        if window.isFullScreen() or window.isMaximized():
            return
        screen = window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        frame = window.frameGeometry().size() - window.size()
        width = min(window.width(), available.width() - frame.width())
        height = min(window.height(), available.height() - frame.height())
        if (width, height) != (window.width(), window.height()):
            window.resize(width, height)

    def roomy_screen(self) -> bool:
        """Whether the window's screen (at start the primary one) has room for every panel at
        the present text size: 150 % text on a 1280 px projector has less than 100 % at 1024."""
        screen = self._window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return True
        needed = max(ROOMY_SCREEN_WIDTH, ROOMY_WIDTH_PER_TEXT_SCALE * self.text_scale)
        width = screen.availableGeometry().width()
        # A language of longer words widens the panel: past this share it leaves the
        # arithmetic too narrow for the step to be read without scrolling.
        panel = self._window.editing_panel.sizeHint().width()
        return width >= needed and panel <= EDITING_PANEL_SHARE * width

    def tall_screen(self) -> bool:
        """Whether the window's screen is high enough, at the present text size, for the
        diagram and both plots one over the other (1280 × 800 is not at 150 % text)."""
        screen = self._window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return True
        return screen.availableGeometry().height() >= TALL_SCREEN_HEIGHT * self.text_scale

    def fit_to_screen(self) -> None:
        width, height = WINDOW_SIZE
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, int(available.width() * 0.95))
            height = min(height, int(available.height() * 0.92))
        self._window.resize(width, height)

    # ----------------------------------------------------------------- preferences
    def restore_preferences(self) -> None:
        """What the last session left: the window's geometry, theme and text size."""
        preferences = self._preferences
        geometry = preferences.geometry
        if geometry is not None:
            self._window.restoreGeometry(geometry)
        if preferences.theme != DEFAULT_THEME:
            self.set_theme(preferences.theme)
        else:  # the default is the platform's own look: only the menu says it is chosen
            self.theme_chosen.emit(self.theme.id)
        if preferences.text_scale != 1.0:
            self.scale_text(preferences.text_scale)

    def save_preferences(self) -> None:
        preferences = self._preferences
        preferences.geometry = self._window.saveGeometry()
        preferences.text_scale = self.text_scale
        preferences.sync()

    def restore_defaults(self) -> None:
        """Forget everything remembered (for a classroom machine) and look as at first start."""
        self._preferences.restore_defaults()
        self.set_theme(DEFAULT_THEME)
        self.scale_text(None)
        self.fit_to_screen()
        self.message.emit(_("Settings back to their defaults."), False)
