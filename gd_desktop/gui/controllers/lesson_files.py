"""Lesson files: open, save and save-as, the unsaved-changes flag, the title, recent files.

The window hands over what a file holds beyond the session (which weight is on view, what the
first plot shows) through two callables, so this controller never reaches into its widgets.

Files are the teacher's work: whatever replaces the lesson on screen asks first when it has
unsaved changes, and Undo brings it back; a file inside gd-desktop's own folders (the course
lessons) opens as an untitled copy, and nothing is ever saved there.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

import gd_desktop
from gd_desktop.core.i18n import N_, _, current_language
from gd_desktop.core.limits import LESSON_EXTENSION
from gd_desktop.core.resources import resources_dir
from gd_desktop.gui.session import Session
from gd_desktop.gui.settings import Preferences

# The sentences of this controller, in English: each is translated where it is shown.
UNTITLED = N_("untitled")
FILE_FILTER = N_("gd-desktop lessons (*{extension})")
# TRANSLATORS: the window's title; [*] is where Qt shows that there are unsaved changes.
TITLE = N_("{file}[*] — gd-desktop")
TITLE_WITH_LESSON = N_("{file}[*] — {lesson} — gd-desktop")
OPENED = N_("Opened {name}.")
OPENED_WITH_NOTES = N_("Opened {name}: {notes}")
OPENED_COPY = N_("Opened a copy of {name}: Save asks where to keep it.")
OPENED_COPY_WITH_NOTES = N_("Opened a copy of {name}: Save asks where to keep it. {notes}")
IGNORED = N_("{said} (Ignored: {warnings}.)")
SAVED = N_("Saved {name}.")
NOT_SAVED = N_("Could not save {name}: {reason}.")
NOT_OPENED = N_("Could not open {name}: {reason}")
INSIDE_APP = N_(
    "Could not save {name}: that folder belongs to gd-desktop itself, which never writes "
    "there. Choose another folder, for example your documents."
)


def app_folders() -> list[Path]:
    """gd-desktop's own folders: the package, its resources and, run from a checkout or a
    bundle, the whole source tree or bundle. Nothing is ever saved inside them."""
    package = Path(gd_desktop.__file__).resolve().parent
    folders = [package]
    try:
        resources = resources_dir().resolve()
    except FileNotFoundError:
        resources = None
    if resources is not None:
        folders.append(resources)
        tree = package.parent
        if resources.parent == tree and (tree / "pyproject.toml").is_file():
            folders.append(tree)  # a source checkout
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders += [Path(bundle).resolve(), Path(sys.executable).resolve().parent]
    return folders


def inside_app(path: Path) -> bool:
    """True for a path in one of gd-desktop's own folders (symbolic links followed)."""
    resolved = Path(path).expanduser().resolve()
    return any(resolved.is_relative_to(folder) for folder in app_folders())


@dataclass(frozen=True)
class FileState:
    """What the window says about the lesson's file: put back by an Undo of a replacement."""

    title: str
    notes: str
    path: Path | None
    copy_name: str
    modified: bool
    translations: dict


def lesson_menu_title(path: Path) -> str:
    """A shipped lesson's menu entry: its title in the language in use (else its own), read
    from the file (its name if unreadable)."""
    from gd_desktop.core import lesson

    try:
        return lesson.load(path).shown_title() or path.stem
    except lesson.LessonError:
        return path.stem


class LessonFiles(QObject):
    """Owns the lesson's title, notes (with their translations) and path, and whether it has
    unsaved changes. The title and notes are the lesson's own; the window shows them in the
    language in use when the lesson has it."""

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
        self.translations: dict = {}  # language code → {"title", "notes"}, saved with the lesson
        self.path: Path | None = None  # where the next Save writes; None: it asks
        self.copy_name = ""  # the file an untitled copy came from, suggested by Save As
        self.course_menu: QMenu | None = None
        self.recent_menu: QMenu | None = None
        self._replacing: FileState | None = None  # while a replacement loads
        self._undo_state: FileState | None = None  # what an Undo of the last one puts back
        session.edited.connect(self.mark_edited)
        session.undo_available.connect(self._on_undo_available)
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
            translations=self.translations,
            weights=session.typed_weights,
            problem=problem,
            history=session.history.weights if with_run else None,
            history_rates=session.history.base_rates if with_run else None,
            history_moved=np.flatnonzero(session.history.moved_by_hand) if with_run else (),
            settings={"speed_index": session.speed_index, **self._view_settings()},
        )

    def replace_problem(
        self,
        load: Callable[[], bool],
        title: str,
        notes: str,
        path: Path | None = None,
        copy_name: str = "",
        translations: dict | None = None,
    ) -> bool:
        """Replace the lesson on screen by what ``load`` puts in the session, once nothing
        unsaved would be lost; the window then shows it as unmodified, saved at ``path``.

        The session keeps the replaced problem for Undo; this keeps its title and file.
        """
        if not self.may_discard_changes():
            return False
        self._replacing = self._file_state()
        try:
            if not load():
                return False
        finally:
            self._replacing = None
        self.title, self.notes, self.path, self.copy_name = title, notes, path, copy_name
        self.translations = dict(translations or {})
        self._window.setWindowModified(False)
        self.update_title()
        return True

    def open_lesson(self, path) -> bool:
        """Open a lesson file; a bad one is named in plain words and changes nothing.

        A file of gd-desktop's own (a course lesson) opens as an untitled copy.
        """
        from gd_desktop.core.lesson import LessonError, load

        path = Path(path)
        try:
            lesson = load(path)
        except LessonError as error:
            self.message.emit(_(NOT_OPENED).format(name=path.name, reason=error), True)
            return False
        copy = inside_app(path)
        if not self.replace_problem(
            lambda: self._session.load_run(
                lesson.problem,
                lesson.weights,
                lesson.history,
                lesson.history_rates,
                lesson.history_moved,
            ),  # fmt: skip
            lesson.title,
            lesson.notes,
            None if copy else path,
            path.name if copy else "",
            lesson.translations,
        ):
            return False
        settings = lesson.settings
        if "speed_index" in settings:
            self._session.set_speed_index(int(settings["speed_index"]))
        self._apply_view_settings(settings)
        self._preferences.add_recent_file(str(path))
        if not copy:
            self._preferences.last_lesson = str(path)
        notes = lesson.shown_notes()
        if copy:
            said = OPENED_COPY_WITH_NOTES if notes else OPENED_COPY
        else:
            said = OPENED_WITH_NOTES if notes else OPENED
        said = _(said).format(name=path.name, notes=notes)
        if lesson.warnings:
            said = _(IGNORED).format(said=said, warnings="; ".join(lesson.warnings))
        self.message.emit(said, False)
        return True

    def save_lesson(self, path, with_run: bool = False) -> bool:
        """Save to ``path``, never inside gd-desktop's own folders; a failure changes nothing."""
        path = Path(path)
        if path.suffix != LESSON_EXTENSION:
            path = path.with_name(path.name + LESSON_EXTENSION)
        if inside_app(path):
            self.message.emit(_(INSIDE_APP).format(name=path.name), True)
            return False
        if not self.title:
            self.title = path.stem
        from gd_desktop.core.lesson import LessonError, save

        try:
            save(self.current_lesson(with_run), path)
        except (OSError, LessonError) as error:
            from gd_desktop.core.files import FileWriteError

            if isinstance(error, FileWriteError):  # already one sentence naming the file
                self.message.emit(str(error), True)
                return False
            reason = getattr(error, "strerror", None) or error
            self.message.emit(_(NOT_SAVED).format(name=path.name, reason=reason), True)
            return False
        self.path, self.copy_name = path, ""
        self._preferences.add_recent_file(str(path))
        self._preferences.last_lesson = str(path)
        self._window.setWindowModified(False)
        self.update_title()
        self.message.emit(_(SAVED).format(name=path.name), False)
        return True

    # ----------------------------------------------------------------- menu and buttons
    def on_open_clicked(self) -> None:
        """The file first; the question about unsaved changes once a good one is chosen."""
        path, _filter = QFileDialog.getOpenFileName(
            self._window,
            _("Open a lesson"),
            "",
            _(FILE_FILTER).format(extension=LESSON_EXTENSION),
        )
        if path:
            self.open_lesson(path)

    def on_save_clicked(self) -> bool:
        if self.path is None:
            return self.on_save_as_clicked()
        return self.save_lesson(self.path)

    def on_save_as_clicked(self, with_run: bool = False) -> bool:
        path, _filter = QFileDialog.getSaveFileName(
            self._window,
            _("Save the lesson"),
            str(self.suggested_path()),
            _(FILE_FILTER).format(extension=LESSON_EXTENSION),
        )
        return bool(path) and self.save_lesson(path, with_run)

    def suggested_path(self) -> Path:
        """The file itself; for an untitled lesson, a name in the documents folder."""
        if self.path is not None:
            return self.path
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        # TRANSLATORS: the file name an untitled lesson is offered under (without the extension).
        stem = _("lesson")
        return Path(documents or Path.home()) / (self.copy_name or f"{stem}{LESSON_EXTENSION}")

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
            self.recent_menu.addAction(_("(none yet)")).setEnabled(False)
        for name in files:
            action = self.recent_menu.addAction(name)
            action.triggered.connect(lambda checked=False, p=name: self.open_lesson(p))

    # ----------------------------------------------------------------- unsaved changes
    def update_title(self) -> None:
        """The title names the file the next Save writes to, or says it is untitled; and the
        lesson's title, in the language in use when the lesson has it."""
        file = _(UNTITLED) if self.path is None else self.path.name
        title = self.shown_title()
        if title and self.title != Path(file).stem:
            self._window.setWindowTitle(_(TITLE_WITH_LESSON).format(file=file, lesson=title))
        else:
            self._window.setWindowTitle(_(TITLE).format(file=file))

    def shown_title(self) -> str:
        """The lesson's title in the language in use when it has it, else its own."""
        code = current_language()
        for candidate in (code, code.split("_")[0]):
            text = self.translations.get(candidate, {}).get("title")
            if text:
                return text
        return self.title

    def retranslate(self) -> None:
        """After a change of language: the title, and the course menu (filled again when next
        opened, with the titles in the new language)."""
        self.update_title()
        if self.course_menu is not None:
            self.course_menu.clear()

    def mark_edited(self) -> None:
        self._window.setWindowModified(True)

    def _file_state(self) -> FileState:
        return FileState(
            self.title,
            self.notes,
            self.path,
            self.copy_name,
            self._window.isWindowModified(),
            dict(self.translations),
        )

    def _on_undo_available(self, available: bool) -> None:
        """The session took a snapshot for Undo (True) or an Undo used it (False).

        A snapshot taken while a replacement loads is the replaced lesson: its file state is
        kept beside it; any later snapshot is of the lesson now on screen, whose file stays.
        """
        if available:
            self._undo_state, self._replacing = self._replacing, None
            return
        state, self._undo_state = self._undo_state, None
        if state is not None:
            self.title, self.notes, self.path, self.copy_name = (
                state.title,
                state.notes,
                state.path,
                state.copy_name,
            )
            self.translations = state.translations
            self._window.setWindowModified(state.modified)
            self.update_title()

    def ask_about_unsaved(self) -> str:
        """Ask whether to save the changes: "save", "discard" or "cancel"."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self._window,
            _("Unsaved changes"),
            _("This lesson has changes that are not saved. Save them first?"),
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        if answer == buttons.Save:
            return "save"
        if answer == buttons.Discard:
            return "discard"
        return "cancel"

    def may_discard_changes(self) -> bool:
        """True when nothing unsaved would be lost (saved, or the user said to discard it).

        A Save that fails or is cancelled answers False: nothing is replaced then.
        """
        if not self._window.isWindowModified():
            return True
        # Through the window: a test or the self-test answers the question in its place.
        choice = self._window.confirm_unsaved()
        if choice == "save":
            return self.on_save_clicked()
        return choice == "discard"
