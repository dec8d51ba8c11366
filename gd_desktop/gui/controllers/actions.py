"""Every menu entry and key of the window in one table, each keyed by an id.

Code refers to an action by its id (``actions["step"]``), never by its label: labels are for
people and will be translated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from gd_desktop.core.presets import PRESETS
from gd_desktop.gui.themes import THEMES

if TYPE_CHECKING:
    from gd_desktop.gui.main_window import MainWindow

Key = QKeySequence.StandardKey | str


@dataclass(frozen=True)
class Entry:
    """One action: where it sits, what it says, its keys, its tooltip and what it does."""

    id: str
    menu: str
    label: str
    slot: Callable[[], object]
    shortcuts: tuple[Key, ...] = ()
    tip: str = ""
    group: str = ""  # actions of one group are checkable and exclusive (the themes)


@dataclass(frozen=True)
class Submenu:
    id: str
    menu: str
    label: str


@dataclass(frozen=True)
class Separator:
    menu: str


MENUS = (("file", "&File"), ("run", "&Run"), ("lessons", "&Lessons"), ("view", "&View"))


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

    def step_if_idle() -> None:
        if not session.is_running:
            session.step()

    table: list[Entry | Submenu | Separator] = [
        Entry("open", "file", "Open lesson…", files.on_open_clicked,
              (QKeySequence.StandardKey.Open,), "Open a .gdlesson file"),
        Submenu("course_lessons", "file", "Course lessons"),
        Submenu("recent_lessons", "file", "Recent lessons"),
        Entry("save", "file", "Save lesson", files.on_save_clicked,
              (QKeySequence.StandardKey.Save,), "Save the problem, network, data and settings"),
        Entry("save_as", "file", "Save lesson as…", files.on_save_as_clicked,
              ("Ctrl+Shift+S",), "Save under a new name"),
        Entry("save_with_run", "file", "Save lesson with its run…",
              lambda: files.on_save_as_clicked(True), (),
              "Save the lesson and every iteration of the run so far"),
        Separator("file"),
        Entry("export_history", "file", "Export history as CSV…", exports.on_export_clicked,
              ("Ctrl+E",), "Write every iteration to a CSV file"),
        Entry("export_plots", "file", "Export the plots (PNG or SVG)…",
              exports.on_export_plots_clicked, (),
              "Both plots, each as a PNG wide enough to print or as a scalable SVG"),
        Entry("export_handout", "file", "Export a handout (PNG)…",
              exports.on_export_handout_clicked, ("Ctrl+P",),
              "The whole window as one picture at print resolution: diagram, arithmetic, plots"),
        Separator("file"),
        Entry("quit", "file", "Quit", window.close, (QKeySequence.StandardKey.Quit,)),
        Entry("step", "run", "Step", step_if_idle, ("Space", "Right", "PgDown"),
              "One gradient-descent update (a clicker's next key works too)"),
        Entry("back", "run", "Step back", session.back, ("Left", "PgUp"),
              "Look at the previous iteration (a clicker's back key works too)"),
        Entry("forward", "run", "Step forward (in the history)", session.forward,
              ("Shift+Right",)),
        Entry("run", "run", "Run / Pause", session.toggle_run, ("P",)),
        Entry("reset", "run", "Reset", session.reset, ("R",), "Back to the values typed"),
        Entry("undo", "run", "Undo", session.undo, (QKeySequence.StandardKey.Undo,)),
        Separator("run"),
        Entry("compare", "run", "Compare learning rates…", window.show_comparison, ("Ctrl+K",),
              "Up to four runs of this problem side by side, each with its own rate"),
    ]  # fmt: skip
    for number, preset in enumerate(PRESETS, start=1):
        table.append(
            Entry(
                preset_action_id(preset.id),
                "lessons",
                f"{number}. {preset.name}",
                lambda preset_id=preset.id: window.choose_preset(preset_id),
                (str(number),) if number <= 9 else (),
                preset.says,
            )
        )
    table += [
        Entry("full_screen", "view", "Full screen", look.toggle_full_screen, ("F11",),
              "For the projector"),
        Entry("larger_text", "view", "Larger text", look.larger_text, ("Ctrl++", "Ctrl+="),
              "Everything larger, the plots included"),
        Entry("smaller_text", "view", "Smaller text", look.smaller_text, ("Ctrl+-",)),
        Entry("normal_text", "view", "Normal text size", look.normal_text, ("Ctrl+0",)),
        Submenu("theme", "view", "Theme"),
    ]  # fmt: skip
    for theme in THEMES.values():
        table.append(
            Entry(
                theme_action_id(theme.id),
                "theme",
                theme.label,
                lambda theme_id=theme.id: look.set_theme(theme_id),
                group="theme",
            )
        )
    table += [
        Separator("view"),
        Entry("restore_defaults", "view", "Restore default settings", look.restore_defaults, (),
              "Forget the window size, theme and text size (for a classroom machine)"),
    ]  # fmt: skip
    return table


class Actions(Mapping[str, QAction]):
    """The window's actions by id, made from the table into a menu bar; its menus by id too."""

    def __init__(self, owner: QObject, bar: QMenuBar, table: list[Entry | Submenu | Separator]):
        self._actions: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {menu_id: bar.addMenu(label) for menu_id, label in MENUS}
        self._groups: dict[str, QActionGroup] = {}
        for entry in table:
            menu = self.menus[entry.menu]
            if isinstance(entry, Separator):
                menu.addSeparator()
            elif isinstance(entry, Submenu):
                self.menus[entry.id] = menu.addMenu(entry.label)
            else:
                self._actions[entry.id] = self._make(owner, menu, entry)

    def _make(self, owner: QObject, menu: QMenu, entry: Entry) -> QAction:
        """A menu entry with its keys shown beside it, and a tooltip saying what it does."""
        if entry.id in self._actions:
            raise ValueError(f"two actions have the id {entry.id!r}")
        action = QAction(entry.label, owner)
        action.setObjectName(f"action_{entry.id}")
        action.setShortcuts([QKeySequence(key) for key in entry.shortcuts])
        action.setToolTip(entry.tip or entry.label)
        action.setStatusTip(entry.tip or entry.label)
        action.triggered.connect(lambda _checked=False, slot=entry.slot: slot())
        if entry.group:
            action.setCheckable(True)
            if entry.group not in self._groups:
                self._groups[entry.group] = QActionGroup(owner)
            self._groups[entry.group].addAction(action)
        menu.addAction(action)
        return action

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._actions)

    def __len__(self) -> int:
        return len(self._actions)
