"""Lesson files: open, save and save-as, the unsaved-changes flag, the title, recent files.

The window hands over what a file holds beyond the session (which weight is on view, what the
first plot shows) through two callables, so this controller never reaches into its widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from gd_desktop.core.limits import LESSON_EXTENSION
from gd_desktop.gui.session import Session
from gd_desktop.gui.settings import Preferences

UNTITLED = "gradient descent, step by step"
FILE_FILTER = "gd-desktop lessons (*{extension})"


def lesson_menu_title(path: Path) -> str:
    """A shipped lesson's menu entry: its title, read from the file (its name if unreadable)."""
    from gd_desktop.core import lesson

    try:
        return lesson.load(path).title or path.stem
    except lesson.LessonError:
        return path.stem


class LessonFiles(QObject):
    """Owns the lesson's title, notes and path, and whether it has unsaved changes."""

    message = Signal(str, bool)

    def __init__(
        self,
        window: QMainWindow,
        session: Session,
        preferences: Preferences,
        view_settings: Callable[[], dict],
        apply_view_settings: Callable[[dict], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._preferences = preferences
        self._view_settings = view_settings
        self._apply_view_settings = apply_view_settings
        self.title = ""
        self.notes = ""
        self.path: Path | None = None
        self.course_menu: QMenu | None = None
        self.recent_menu: QMenu | None = None
        session.edited.connect(self.mark_edited)
        self.update_title()

    def attach_menus(self, course_menu: QMenu, recent_menu: QMenu) -> None:
        """Both are filled when first opened: reading eight files is no work for the start."""
        self.course_menu = course_menu
        self.recent_menu = recent_menu
        course_menu.aboutToShow.connect(self._fill_course_menu)
        recent_menu.aboutToShow.connect(self._fill_recent_menu)

    # ----------------------------------------------------------------- the lesson
    def current_lesson(self, with_run: bool = False):
        """What a lesson file saves: the problem, the weights Reset returns to, the view."""
        from gd_desktop.core.lesson import Lesson  # file formats load when first used

        session = self._session
        problem = session.problem
        return Lesson(
            title=self.title,
            notes=self.notes,
            weights=session.typed_weights,
            problem=problem,
            history=session.history.weights if with_run else None,
            settings={"speed_index": session.speed_index, **self._view_settings()},
        )

    def open_lesson(self, path) -> bool:
        """Open a lesson file; a bad one is named in plain words and changes nothing."""
        from gd_desktop.core.lesson import LessonError, load

        path = Path(path)
        try:
            lesson = load(path)
        except LessonError as error:
            self.message.emit(f"Could not open {path.name}: {error}", True)
            return False
        if not self._session.load_run(lesson.problem, lesson.weights, lesson.history):
            return False
        settings = lesson.settings
        if "speed_index" in settings:
            self._session.set_speed_index(int(settings["speed_index"]))
        self._apply_view_settings(settings)
        self.title, self.notes = lesson.title, lesson.notes
        self._saved_as(path)
        said = f"Opened {path.name}: {lesson.notes}" if lesson.notes else f"Opened {path.name}."
        if lesson.warnings:
            said += f" (Ignored: {'; '.join(lesson.warnings)}.)"
        self.message.emit(said, False)
        return True

    def save_lesson(self, path, with_run: bool = False) -> bool:
        path = Path(path)
        if path.suffix != LESSON_EXTENSION:
            path = path.with_name(path.name + LESSON_EXTENSION)
        if not self.title:
            self.title = path.stem
        from gd_desktop.core.lesson import LessonError, save

        try:
            save(self.current_lesson(with_run), path)
        except (OSError, LessonError) as error:
            reason = getattr(error, "strerror", None) or error
            self.message.emit(f"Could not save {path.name}: {reason}.", True)
            return False
        self._saved_as(path)
        self.message.emit(f"Saved {path.name}.", False)
        return True

    def _saved_as(self, path: Path) -> None:
        """The window now shows this file as it is on disk."""
        self.path = path
        self._preferences.add_recent_file(str(path))
        self._preferences.last_lesson = str(path)
        self._window.setWindowModified(False)
        self.update_title()

    # ----------------------------------------------------------------- menu and buttons
    def on_open_clicked(self) -> None:
        if not self.may_discard_changes():
            return
        path, _ = QFileDialog.getOpenFileName(
            self._window, "Open a lesson", "", FILE_FILTER.format(extension=LESSON_EXTENSION)
        )
        if path:
            self.open_lesson(path)

    def on_save_clicked(self) -> bool:
        if self.path is None:
            return self.on_save_as_clicked()
        return self.save_lesson(self.path)

    def on_save_as_clicked(self, with_run: bool = False) -> bool:
        suggested = str(self.path or f"lesson{LESSON_EXTENSION}")
        path, _ = QFileDialog.getSaveFileName(
            self._window,
            "Save the lesson",
            suggested,
            FILE_FILTER.format(extension=LESSON_EXTENSION),
        )
        return bool(path) and self.save_lesson(path, with_run)

    def _fill_course_menu(self) -> None:
        if self.course_menu.actions():
            return
        from gd_desktop.core.lesson import shipped_lessons

        for path in shipped_lessons():
            action = self.course_menu.addAction(lesson_menu_title(path))
            action.setToolTip(action.text())
            action.setStatusTip(action.text())
            action.triggered.connect(lambda checked=False, p=path: self.open_lesson(p))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self._preferences.recent_files
        if not files:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
        for name in files:
            action = self.recent_menu.addAction(name)
            action.triggered.connect(lambda checked=False, p=name: self.open_lesson(p))

    # ----------------------------------------------------------------- unsaved changes
    def update_title(self) -> None:
        name = self.title or UNTITLED
        self._window.setWindowTitle(f"{name}[*] — gd-desktop")

    def mark_edited(self) -> None:
        self._window.setWindowModified(True)

    def ask_about_unsaved(self) -> str:
        """Ask whether to save the changes: "save", "discard" or "cancel"."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self._window,
            "Unsaved changes",
            "This lesson has changes that are not saved. Save them first?",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        if answer == buttons.Save:
            return "save"
        if answer == buttons.Discard:
            return "discard"
        return "cancel"

    def may_discard_changes(self) -> bool:
        """True when nothing unsaved would be lost (saved, or the user said to discard it)."""
        if not self._window.isWindowModified():
            return True
        # Through the window: a test or the self-test answers the question in its place.
        choice = self._window.confirm_unsaved()
        if choice == "save":
            return self.on_save_clicked()
        return choice == "discard"
