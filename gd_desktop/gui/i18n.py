"""The window in the user's language: Qt's own texts too, and a switch that redraws at once.

The words themselves come from :mod:`gd_desktop.core.i18n` (one translation function for the
whole package). Here: Qt's translations of its own texts (file dialogs, message-box buttons,
context menus: the ``qtbase_*.qm`` files PySide6 ships, which the bundle keeps), installed with the
language; and :class:`LanguageSwitcher`, behind View ▸ Language, which remembers the choice and
redraws the whole window, keeping the run.

A view takes part in a switch by having a ``retranslate()`` method that sets its texts again
(its labels, tooltips and accessible names, through ``_()``); :func:`retranslate_window` calls
every one under the window, then the Renderer redraws what is made from the session's numbers.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from gd_desktop.core import i18n
from gd_desktop.core.i18n import _

QT_CATALOG = "qtbase"


def language_action_id(code: str) -> str:
    """The View ▸ Language entry's id: ``language:de``; ``language:`` is the system's default."""
    return f"language:{code}"


def language_choices() -> list[tuple[str, str]]:
    """(code, label) for the menu: the system's default first, then each language by its own
    name ("" is the system's default)."""
    return [("", _("System default"))] + [
        (language.code, language.name) for language in i18n.LANGUAGES.values()
    ]


def qt_translations_dir() -> Path | None:
    """Where Qt's own ``.qm`` files are: Qt's translations path, else PySide6's folder."""
    candidates = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    try:
        import PySide6

        candidates.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    except (ImportError, TypeError):
        pass
    for folder in candidates:
        if (folder / f"{QT_CATALOG}_de.qm").is_file():
            return folder
    return None


class QtTranslations:
    """Qt's translation of its own texts for the language in use, installed in the application
    (one translator at a time; English needs none)."""

    def __init__(self) -> None:
        self._translator: QTranslator | None = None

    def apply(self, code: str) -> bool:
        """Install Qt's catalog for ``code``; True if there is one (and it loaded)."""
        app = QCoreApplication.instance()
        if app is None:
            return False
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        folder = qt_translations_dir()
        if code in (i18n.SOURCE_LANGUAGE, i18n.PSEUDO) or folder is None:
            return False
        translator = QTranslator(app)
        if not translator.load(f"{QT_CATALOG}_{code}", str(folder)):
            return False
        app.installTranslator(translator)
        self._translator = translator
        return True

    @property
    def installed(self) -> QTranslator | None:
        return self._translator


#: The application's one set of Qt translations (one QApplication per process).
qt_translations = QtTranslations()


def install_language(chosen: str | None) -> str:
    """Speak ``chosen`` ("" or None: the system's language): the app's words and Qt's own.
    Returns the code in use."""
    code = i18n.set_language(chosen)
    qt_translations.apply(code)
    return code


def retranslate_window(window: QMainWindow) -> None:
    """Every part of the window that knows how sets its words again, then the numbers are
    redrawn (their decimal separator follows the language)."""
    for part in [window, *window.findChildren(QObject)]:
        retranslate = getattr(part, "retranslate", None)
        if callable(retranslate):
            retranslate()
    renderer = getattr(window, "renderer", None)
    if renderer is not None:
        renderer.redraw_all()


def localize_plot_axes(plot) -> None:
    """The plot's axes write their tick numbers with the decimal separator of the language in
    use (now and after every switch): pyqtgraph writes a point, always."""
    item = plot.getPlotItem() if hasattr(plot, "getPlotItem") else plot
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        if not getattr(axis, "_localized", False):
            plain = axis.tickStrings  # the class's method, bound to this axis

            def tick_strings(values, scale, spacing, plain=plain):
                return [i18n.localized_number(text) for text in plain(values, scale, spacing)]

            axis.tickStrings = tick_strings
            axis._localized = True
        axis.picture = None  # drawn again with the separator in use
        axis.update()


class LanguageSwitcher(QObject):
    """View ▸ Language: remembers the choice in the preferences and switches the window live."""

    switched = Signal(str)  # the code now in use

    def __init__(self, window: QMainWindow, preferences, plots=lambda: []) -> None:
        super().__init__(window)
        self._window = window
        self._preferences = preferences
        self._plots = plots  # every pyqtgraph plot that exists now
        self._actions: dict[str, QAction] = {}
        self.localize_plots()

    def localize_plots(self) -> None:
        """Every plot's axes in the language's way of writing numbers."""
        for plot in self._plots():
            localize_plot_axes(plot)

    def choose(self, chosen: str) -> None:
        """Speak ``chosen`` (a language's code, or "" for the system's) from now on."""
        self._preferences.language = chosen
        code = install_language(chosen)
        self.check_chosen()
        retranslate_window(self._window)
        self.localize_plots()
        self.switched.emit(code)

    def attach(self, actions) -> None:
        """Show the choice on the menu's entries (``actions`` by id; their group is exclusive)."""
        for code, _label in language_choices():
            action = actions.get(language_action_id(code))
            if action is not None:
                self._actions[code] = action
        self.check_chosen()

    def check_chosen(self) -> None:
        chosen = i18n.chosen_language()
        action = self._actions.get(chosen if chosen in self._actions else "")
        if action is not None:
            action.setChecked(True)

    def retranslate(self) -> None:
        """The system-default entry's words (the languages keep their own names)."""
        action = self._actions.get("")
        if action is not None:
            label = _("System default")
            action.setText(label)
            action.setToolTip(label)
            action.setStatusTip(label)
