"""Every menu entry and key of the window in one table, each keyed by an id.

Code refers to an action by its id (``actions["step"]``), never by its label: labels are for
people and will be translated.

Keys without a modifier (digits, P, R, Space, the arrows) act only when no text field or spin
box has the focus: in one, they type there (see :class:`KeyGuard`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from gd_desktop.core.i18n import N_, _
from gd_desktop.core.presets import PRESETS
from gd_desktop.gui.i18n import language_action_id, language_choices
from gd_desktop.gui.themes import THEMES

if TYPE_CHECKING:
    from gd_desktop.gui.main_window import MainWindow

Key = QKeySequence.StandardKey | str
#: A label or tip: English marked with N_() (translated where shown), or a function that says it
#: in the language in use (a lesson's title, a language's own name).
Words = str | Callable[[], str]


def say(words: Words) -> str:
    """The words in the language in use."""
    if callable(words):
        return words()
    return _(words) if words else ""


@dataclass(frozen=True)
class Entry:
    """One action: where it sits, what it says, its keys, its tooltip and what it does."""

    id: str
    menu: str
    label: Words
    slot: Callable[[], object]
    shortcuts: tuple[Key, ...] = ()
    tip: Words = ""
    group: str = ""  # actions of one group are checkable and exclusive (the themes)
    checkable: bool = False  # on or off, its check mark shows which (the editing panel)


@dataclass(frozen=True)
class Submenu:
    id: str
    menu: str
    label: Words


@dataclass(frozen=True)
class Separator:
    menu: str


# A lesson key acts once no other number key follows within this pause: "1.5" typed with no box
# selected is a number, and loads nothing.
NUMBER_PAUSE_MS = 400
NUMBER_CHARACTERS = frozenset("0123456789.,-−+eE")
# A clicker's keys and full screen act wherever the focus is, a box included.
KEYS_EVERYWHERE = frozenset({Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_F11})
MODIFIER_KEYS = frozenset(
    {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr}
)
NUMBER_NOT_LOADED = N_(
    "Nothing was loaded: “{typed}” looks like a number typed with no box selected. Click a box "
    "to type a number into it; press a lesson's number alone to load that lesson."
)
SHOWN_TYPED = 20  # characters of a typed number quoted in the message

MENUS = (
    ("file", N_("&File")), ("run", N_("&Run")), ("lessons", N_("&Lessons")), ("view", N_("&View"))
)


def preset_action_id(preset_id: str) -> str:
    return f"preset:{preset_id}"


def theme_action_id(theme_id: str) -> str:
    return f"theme:{theme_id}"


def action_table(window: MainWindow) -> list[Entry | Submenu | Separator]:
    """The window's menus, in the order they are shown."""
    session = window.session
    files = window.lesson_files
    exports = window.exports
    look = window.appearance
    presentation = window.presentation

    table: list[Entry | Submenu | Separator] = [
        Entry("open", "file", N_("Open lesson…"), files.on_open_clicked,
              (QKeySequence.StandardKey.Open,), N_("Open a .gdlesson file")),
        Submenu("course_lessons", "file", N_("Course lessons")),
        Submenu("recent_lessons", "file", N_("Recent lessons")),
        Entry("save", "file", N_("Save lesson"), files.on_save_clicked,
              (QKeySequence.StandardKey.Save,),
              N_("Save the problem, network, data and settings")),
        Entry("save_as", "file", N_("Save lesson as…"), files.on_save_as_clicked,
              ("Ctrl+Shift+S",), N_("Save under a new name")),
        Entry("save_with_run", "file", N_("Save lesson with its run…"),
              lambda: files.on_save_as_clicked(True), (),
              N_("Save the lesson and every iteration of the run so far")),
        Separator("file"),
        Entry("export_history", "file", N_("Export history as CSV…"), exports.on_export_clicked,
              ("Ctrl+E",), N_("Write every iteration to a CSV file")),
        Entry("export_plots", "file", N_("Export the plots (PNG or SVG)…"),
              exports.on_export_plots_clicked, (),
              N_("Both plots, each as a PNG wide enough to print or as a scalable SVG")),
        Entry("export_handout", "file", N_("Export a handout (PNG)…"),
              exports.on_export_handout_clicked, ("Ctrl+P",),
              N_("The whole window as one picture at print resolution: diagram, arithmetic, "
                 "plots")),
        Separator("file"),
        Entry("quit", "file", N_("Quit"), window.close, (QKeySequence.StandardKey.Quit,)),
        Entry("step", "run", N_("Step"), presentation.next, ("Space", "Right", "PgDown"),
              N_("One gradient-descent update (a clicker's next key works too); presenting, "
              "first each factor of the slope")),
        Entry("back", "run", N_("Step back"), presentation.back, ("Left", "PgUp"),
              N_("Look at the previous iteration (a clicker's back key works too); presenting, "
              "first hide the last factor shown")),
        Entry("forward", "run", N_("Step forward (in the history)"), session.forward,
              ("Shift+Right",)),
        Entry("run", "run", N_("Run / Pause"), session.toggle_run, ("P",)),
        Entry("reset", "run", N_("Reset"), session.reset, ("R",), N_("Back to the values typed")),
        Entry("undo", "run", N_("Undo"), session.undo, (QKeySequence.StandardKey.Undo,)),
        Separator("run"),
        Entry("compare", "run", N_("Compare optimizers and rates…"), window.show_comparison,
              ("Ctrl+K",), N_("Up to six runs of this problem side by side, each with its own "
                             "optimizer and rate")),
    ]  # fmt: skip
    for number, preset in enumerate(PRESETS, start=1):
        table.append(
            Entry(
                preset_action_id(preset.id),
                "lessons",
                lambda number=number, preset=preset: _("{number}. {title}").format(
                    number=number, title=preset.name
                ),
                lambda preset_id=preset.id: window.choose_preset(preset_id),
                (str(number),) if number <= 9 else (),
                lambda preset=preset: preset.says,
            )
        )
    table += [
        Entry("presentation", "view", N_("Presentation mode"), presentation.toggle, ("F5",),
              N_("The arithmetic and the diagram large; each press of a clicker's next key "
              "reveals one factor of the slope, then steps"), checkable=True),
        Entry("leave_presentation", "view", N_("Leave presentation mode"), presentation.leave,
              ("Escape",)),
        Entry("editing_panel", "view", N_("Editing panel"), window.toggle_editing_panel, ("F9",),
              N_("Show or hide the problem's inputs, weights and learning rate"), checkable=True),
        Entry("full_screen", "view", N_("Full screen"), look.toggle_full_screen, ("F11",),
              N_("For the projector")),
        Entry("larger_text", "view", N_("Larger text"), look.larger_text, ("Ctrl++", "Ctrl+="),
              N_("Everything larger, the plots included")),
        Entry("smaller_text", "view", N_("Smaller text"), look.smaller_text, ("Ctrl+-",)),
        Entry("normal_text", "view", N_("Normal text size"), look.normal_text, ("Ctrl+0",)),
        Submenu("theme", "view", N_("Theme")),
    ]  # fmt: skip
    for theme in THEMES.values():
        table.append(
            Entry(
                theme_action_id(theme.id),
                "theme",
                lambda theme=theme: _(theme.label),
                lambda theme_id=theme.id: look.set_theme(theme_id),
                group="theme",
            )
        )
    table.append(Submenu("language", "view", N_("Language")))
    for code, label in language_choices():  # each language by its own name
        table.append(
            Entry(
                language_action_id(code),
                "language",
                (lambda: _("System default")) if not code else (lambda label=label: label),
                lambda code=code: window.language.choose(code),
                group="language",
            )
        )
    table += [
        Separator("view"),
        Entry("restore_defaults", "view", N_("Restore default settings"),
              look.restore_defaults, (),
              N_("Forget the window size, theme and text size (for a classroom machine)")),
    ]  # fmt: skip
    return table


class Actions(Mapping[str, QAction]):
    """The window's actions by id, made from the table into a menu bar; its menus by id too."""

    def __init__(self, owner: QObject, bar: QMenuBar, table: list[Entry | Submenu | Separator]):
        self._actions: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        for menu_id, _label in MENUS:
            self.menus[menu_id] = bar.addMenu("")
            self.menus[menu_id].setObjectName(f"menu_{menu_id}")
        self._groups: dict[str, QActionGroup] = {}
        self._table = table
        for entry in table:
            menu = self.menus[entry.menu]
            if isinstance(entry, Separator):
                menu.addSeparator()
            elif isinstance(entry, Submenu):
                self.menus[entry.id] = menu.addMenu("")
                self.menus[entry.id].setObjectName(f"menu_{entry.id}")
            else:
                self._actions[entry.id] = self._make(owner, menu, entry)
        self.retranslate()

    def retranslate(self) -> None:
        """Every menu's title, every entry's label and tooltip in the language in use."""
        for menu_id, label in MENUS:
            self.menus[menu_id].setTitle(_(label))
        for entry in self._table:
            if isinstance(entry, Submenu):
                self.menus[entry.id].setTitle(say(entry.label))
            elif isinstance(entry, Entry):
                action = self._actions[entry.id]
                label, tip = say(entry.label), say(entry.tip)
                action.setText(label)
                action.setToolTip(tip or label)
                action.setStatusTip(tip or label)

    def _make(self, owner: QObject, menu: QMenu, entry: Entry) -> QAction:
        """A menu entry with its keys shown beside it, and a tooltip saying what it does."""
        if entry.id in self._actions:
            raise ValueError(f"two actions have the id {entry.id!r}")
        action = QAction(owner)  # its words are set by retranslate()
        action.setObjectName(f"action_{entry.id}")
        action.setShortcuts([QKeySequence(key) for key in entry.shortcuts])
        action.triggered.connect(lambda _checked=False, slot=entry.slot: slot())
        action.setCheckable(entry.checkable)
        if entry.group:
            action.setCheckable(True)
            if entry.group not in self._groups:
                self._groups[entry.group] = QActionGroup(owner)
            self._groups[entry.group].addAction(action)
        menu.addAction(action)
        return action

    def single_key_actions(self) -> list[QAction]:
        """The actions with a shortcut of one key without a modifier."""
        return [action for action in self._actions.values() if single_keys(action)]

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._actions)

    def __len__(self) -> int:
        return len(self._actions)


def single_keys(action: QAction) -> list[Qt.Key]:
    """The action's shortcuts that are one key without a modifier."""
    keys = []
    for sequence in action.shortcuts():
        if sequence.count() == 1:
            combination = sequence[0]
            if combination.keyboardModifiers() == Qt.KeyboardModifier.NoModifier:
                keys.append(combination.key())
    return keys


def takes_typing(widget: QWidget | None) -> bool:
    """True for a widget that types the keys pressed: a text field, a spin box, an editable
    list or table (an item view that edits on any key)."""
    if isinstance(widget, (QLineEdit, QAbstractSpinBox)):
        return True
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    if isinstance(widget, QAbstractItemView):
        triggers = widget.editTriggers()
        return bool(triggers & QAbstractItemView.EditTrigger.AnyKeyPressed)
    return False


def key_text(key: Qt.Key) -> str:
    """What the key types without a modifier: "5", "p", " "; nothing for an arrow."""
    if key == Qt.Key.Key_Space:
        return " "
    name = QKeySequence(key).toString()
    return name.lower() if len(name) == 1 else ""


class KeyGuard(QObject):
    """Single-key shortcuts act only when no box has the focus; a lesson's number key acts
    only when pressed alone.

    Watches each single-key action's shortcut. With a box focused, the key goes to the box
    (text fields and spin boxes claim it before any shortcut; an editable table is made to
    claim it here). A digit waits :data:`NUMBER_PAUSE_MS`: another number key in that time
    makes it a typed number, which loads nothing; any other key or click first loads the
    lesson waiting.
    """

    def __init__(self, parent: QObject, say) -> None:
        super().__init__(parent)
        self._say = say
        self._typed = ""
        self._waiting: QAction | None = None  # the lesson whose digit waits
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NUMBER_PAUSE_MS)
        self._timer.timeout.connect(self.flush)
        self._app_watcher = _AppWatcher(self)  # watches every event only while a digit waits
        self._watching_app = False
        self._keys: set[Qt.Key] = set()  # the single keys that a box keeps

    def watch(self, actions: list[QAction]) -> None:
        for action in actions:
            action.installEventFilter(self)
            self._keys.update(key for key in single_keys(action) if key not in KEYS_EVERYWHERE)
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A table that edits on any key is watched once it has the focus: it claims the keys
        (text fields and spin boxes claim them themselves)."""
        if isinstance(new, QAbstractItemView) and takes_typing(new):
            new.installEventFilter(self)  # once: Qt does not install a filter twice

    @property
    def waiting(self) -> bool:
        """True while a number key waits to see whether a number is being typed."""
        return bool(self._typed)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind == QEvent.Type.Shortcut and isinstance(watched, QAction):
            return self._on_shortcut(watched, event.key())
        if kind == QEvent.Type.ShortcutOverride and isinstance(watched, QAbstractItemView):
            plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if plain == Qt.KeyboardModifier.NoModifier and event.key() in self._keys:
                event.accept()  # the key goes to the table, as a key press, not to an action
                return True
        return False

    def _on_app_event(self, watched, event) -> None:
        """While a digit waits: a number key adds to it; any other key or a click ends it."""
        kind = event.type()
        if kind == QEvent.Type.KeyPress and self._first_receiver(watched):
            if event.key() not in MODIFIER_KEYS:
                if event.text() and event.text() in NUMBER_CHARACTERS:
                    self._add(event.text(), None)
                else:
                    self.flush()
        elif kind == QEvent.Type.MouseButtonPress:
            self.flush()

    def _on_shortcut(self, action: QAction, sequence: QKeySequence) -> bool:
        """True when the key was dealt with here: the action does not act."""
        if sequence.count() != 1:
            return False
        key = sequence[0].key()
        if key not in single_keys(action) or key in KEYS_EVERYWHERE:
            self.flush()
            return False
        if takes_typing(QApplication.focusWidget()):
            return True  # a box that did not claim the key: it still does not act
        text = key_text(key)
        if text.isdigit():
            self._add(text, action)
            return True
        self.flush()  # a lesson waiting loads first: "1" then Space steps in lesson 1
        return False

    def _add(self, text: str, action: QAction | None) -> None:
        self._waiting = action if not self._typed else None
        self._typed += text
        self._timer.start()
        if not self._watching_app:
            QApplication.instance().installEventFilter(self._app_watcher)
            self._watching_app = True

    def flush(self) -> None:
        """The number keys pressed so far: a lesson's key alone loads it; a number does not."""
        typed, action = self._typed, self._waiting
        self._typed, self._waiting = "", None
        self._timer.stop()
        if self._watching_app:
            QApplication.instance().removeEventFilter(self._app_watcher)
            self._watching_app = False
        if action is not None:
            action.trigger()
        elif typed:
            shown = typed if len(typed) <= SHOWN_TYPED else typed[:SHOWN_TYPED] + "…"
            self._say(_(NUMBER_NOT_LOADED).format(typed=shown), True)

    @staticmethod
    def _first_receiver(watched) -> bool:
        """Key events go to the focus widget, then up its parents: count each key once."""
        focus = QApplication.focusWidget()
        if focus is not None:
            return watched is focus
        return isinstance(watched, QWidget) and watched.isWindow()


class _AppWatcher(QObject):
    """The application's event filter while a digit waits (apart from the actions' filter, so
    that the shortcut events it also sees are counted once)."""

    def __init__(self, guard: KeyGuard) -> None:
        super().__init__(guard)
        self._guard = guard

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        self._guard._on_app_event(watched, event)
        return False
