"""Nothing unsaved is lost: every action that replaces the lesson asks first, Undo brings the
replaced lesson back, course lessons open as untitled copies and nothing is saved inside
gd-desktop's own folders. Through the real window, the question answered by the test."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDoubleSpinBox, QFileDialog

import gd_desktop
from gd_desktop.core import lesson as lesson_file
from gd_desktop.core.presets import PRESETS
from gd_desktop.core.resources import resources_dir
from gd_desktop.gui.controllers.actions import preset_action_id
from tests.gui.helpers import choose_preset, click, find, open_tab, shown, type_into

ONE_WEIGHT = "slide-one-weight"
COURSE_TITLE = "Slide: one weight"


@pytest.fixture
def active(qtbot, window):
    """The window, active and focused as in front of a class (keys need an active window)."""
    window.activateWindow()
    qtbot.waitActive(window)
    window.step_button.setFocus()
    return window


@pytest.fixture
def questions(active):
    """The answer the test gives to "Save the changes first?", and how often it was asked."""

    class Questions:
        answer = "cancel"
        asked = 0

        def __call__(self) -> str:
            self.asked += 1
            return self.answer

    asked = Questions()
    active.confirm_unsaved = asked
    return asked


@pytest.fixture
def save_dialog(monkeypatch, tmp_path):
    """Save As's file dialog, answered with a path of the test's (empty: cancelled)."""
    answer = {"path": str(tmp_path / "kept.gdlesson"), "asked": 0}

    def get_save_file_name(*_args, **_kwargs):
        answer["asked"] += 1
        return answer["path"], ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))
    return answer


def one_weight_file(tmp_path) -> Path:
    path = tmp_path / "one weight.gdlesson"
    lesson_file.save(lesson_file.lesson_from_preset(PRESETS[0]), path)
    return path


def edit_the_target(qtbot, window) -> None:
    """Unsaved work: the target typed as 7 (the course's example has 6)."""
    type_into(qtbot, find(window, QDoubleSpinBox, "target"), "7")
    assert window.isWindowModified()
    assert window.session.problem.targets.tolist() == [7.0]
    window.step_button.setFocus()


def is_the_edited_lesson(window) -> bool:
    problem = window.session.problem
    return problem.targets.tolist() == [7.0] and problem.weight_count == 2


def course_action(window, title: str):
    window.lesson_files.course_menu.aboutToShow.emit()  # what opening the menu does
    for action in window.lesson_files.course_menu.actions():
        if action.text() == title:
            return action
    raise AssertionError(f"no course lesson {title!r}")


def _lesson_key(qtbot, window, tmp_path, monkeypatch) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    qtbot.waitUntil(lambda: not window.key_guard.waiting, timeout=3000)


def _lessons_menu(qtbot, window, tmp_path, monkeypatch) -> None:
    window.actions_by_id[preset_action_id(ONE_WEIGHT)].trigger()


def _course_menu(qtbot, window, tmp_path, monkeypatch) -> None:
    course_action(window, COURSE_TITLE).trigger()


def _open(qtbot, window, tmp_path, monkeypatch) -> None:
    path = one_weight_file(tmp_path)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_a, **_k: (str(path), ""))
    )
    window.actions_by_id["open"].trigger()


def _recent(qtbot, window, tmp_path, monkeypatch) -> None:
    path = one_weight_file(tmp_path)
    window.preferences.add_recent_file(str(path))
    menu = window.lesson_files.recent_menu
    menu.aboutToShow.emit()
    [action] = [action for action in menu.actions() if action.text() == str(path)]
    action.trigger()


def _preset_list(qtbot, window, tmp_path, monkeypatch) -> None:
    choose_preset(qtbot, window, ONE_WEIGHT)


def _import(qtbot, window, tmp_path, monkeypatch) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("1,2\n3,4\n", encoding="utf-8")
    open_tab(qtbot, window, "detail_tabs", "data_page")
    panel = window.data_panel
    click(qtbot, panel, "import_button")
    dialog = panel.findChild(QFileDialog, "import_file_dialog")
    dialog.selectFile(str(path))
    dialog.accept()
    qtbot.waitUntil(lambda: not panel.import_in_progress(), timeout=5000)


REPLACING = {
    "lesson key": _lesson_key,
    "Lessons menu": _lessons_menu,
    "course lessons menu": _course_menu,
    "Open": _open,
    "recent lesson": _recent,
    "preset list": _preset_list,
    "imported data set": _import,
}


@pytest.mark.parametrize("how", REPLACING)
def test_cancel_changes_nothing(qtbot, active, questions, tmp_path, monkeypatch, how):
    """Cancel keeps the unsaved lesson as it is, still unsaved; the preset list shows it."""
    edit_the_target(qtbot, active)
    title = active.windowTitle()
    questions.answer = "cancel"
    REPLACING[how](qtbot, active, tmp_path, monkeypatch)
    assert questions.asked == 1
    assert is_the_edited_lesson(active)
    assert active.isWindowModified() and active.windowTitle() == title
    assert find(active, QComboBox, "preset_combo").currentIndex() == -1


@pytest.mark.parametrize("how", REPLACING)
def test_discard_replaces_and_undo_brings_it_back(
    qtbot, active, questions, tmp_path, monkeypatch, how
):
    """Discard replaces the lesson; Undo brings the edited one back, still unsaved."""
    edit_the_target(qtbot, active)
    title = active.windowTitle()
    questions.answer = "discard"
    REPLACING[how](qtbot, active, tmp_path, monkeypatch)
    assert questions.asked == 1
    assert not is_the_edited_lesson(active)
    click(qtbot, active, "undo_button")
    assert is_the_edited_lesson(active)
    assert active.isWindowModified() and active.windowTitle() == title


@pytest.mark.parametrize("how", REPLACING)
def test_save_writes_the_lesson_first(
    qtbot, active, questions, save_dialog, tmp_path, monkeypatch, how
):
    """Save asks where (the lesson is untitled), writes it, then replaces; Undo brings it back."""
    edit_the_target(qtbot, active)
    questions.answer = "save"
    REPLACING[how](qtbot, active, tmp_path, monkeypatch)
    assert save_dialog["asked"] == 1
    assert lesson_file.load(tmp_path / "kept.gdlesson").targets.tolist() == [7.0]
    assert not is_the_edited_lesson(active)
    click(qtbot, active, "undo_button")
    assert is_the_edited_lesson(active)
    assert active.windowTitle().startswith("kept.gdlesson[*]")


@pytest.mark.parametrize("how", REPLACING)
def test_save_cancelled_changes_nothing(
    qtbot, active, questions, save_dialog, tmp_path, monkeypatch, how
):
    """Save, then Cancel in the file dialog: nothing written, nothing replaced."""
    edit_the_target(qtbot, active)
    save_dialog["path"] = ""
    questions.answer = "save"
    REPLACING[how](qtbot, active, tmp_path, monkeypatch)
    assert save_dialog["asked"] == 1
    assert is_the_edited_lesson(active) and active.isWindowModified()
    assert not (tmp_path / "kept.gdlesson").exists()


def test_failed_save_changes_nothing(qtbot, active, questions, tmp_path):
    """A Save that fails (a folder that is not there) says so and replaces nothing."""
    edit_the_target(qtbot, active)
    active.lesson_files.path = tmp_path / "missing folder" / "kept.gdlesson"
    questions.answer = "save"
    active.actions_by_id[preset_action_id(ONE_WEIGHT)].trigger()
    assert is_the_edited_lesson(active) and active.isWindowModified()
    assert "kept.gdlesson was not saved" in shown(active, "status_message")


def test_nothing_is_asked_without_unsaved_changes(qtbot, active, questions):
    """A saved or untouched lesson is replaced at once; a fresh preset is not unsaved work."""
    active.actions_by_id[preset_action_id(ONE_WEIGHT)].trigger()
    choose_preset(qtbot, active, "oscillates")
    assert questions.asked == 0
    assert active.session.problem.weight_count == 2 and not active.isWindowModified()
    assert find(active, QComboBox, "preset_combo").currentData() == "oscillates"


def digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_course_lesson_opens_untitled_and_save_asks_where(qtbot, active, save_dialog, tmp_path):
    """A course lesson is an untitled copy: Ctrl+S asks for a path; resources/ is untouched."""
    resources = resources_dir()
    before = digests(resources)
    course_action(active, COURSE_TITLE).trigger()
    assert active.windowTitle().startswith("untitled[*]")
    assert active.lesson_files.path is None and not active.isWindowModified()
    assert "copy of slide-one-weight.gdlesson" in shown(active, "status_message")
    click(qtbot, active, "step_button")
    type_into(qtbot, find(active, QDoubleSpinBox, "learning_rate"), "0.2")
    active.step_button.setFocus()
    qtbot.keyClick(active.step_button, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert save_dialog["asked"] == 1
    saved = lesson_file.load(tmp_path / "kept.gdlesson")
    assert saved.learning_rate == 0.2 and saved.title == COURSE_TITLE
    assert active.windowTitle().startswith("kept.gdlesson[*]")
    assert digests(resources) == before


def test_save_as_suggests_the_course_lessons_name_outside_the_app(qtbot, active):
    """Save As on a course lesson's copy proposes its name, in a folder that is not the app's."""
    course_action(active, COURSE_TITLE).trigger()
    suggested = active.lesson_files.suggested_path()
    assert suggested.name == "slide-one-weight.gdlesson"
    assert not suggested.resolve().is_relative_to(Path(gd_desktop.__file__).resolve().parent)
    assert not suggested.resolve().is_relative_to(resources_dir().resolve())


@pytest.mark.parametrize(
    "where",
    [
        lambda: resources_dir() / "lessons" / "slide-one-weight.gdlesson",
        lambda: resources_dir() / "new.gdlesson",
        lambda: Path(gd_desktop.__file__).parent / "mine.gdlesson",
        lambda: Path(gd_desktop.__file__).parent / "gui" / "mine",
    ],
    ids=["over a course lesson", "into resources", "into the package", "without extension"],
)
def test_saving_inside_the_app_is_refused(qtbot, active, save_dialog, where):
    """Save As (or a recent entry's path) inside the package or resources writes nothing."""
    resources = resources_dir()
    package = Path(gd_desktop.__file__).parent
    before = digests(resources), digests(package)
    target = where()
    save_dialog["path"] = str(target)
    edit_the_target(qtbot, active)
    active.actions_by_id["save_as"].trigger()
    assert "belongs to gd-desktop itself" in shown(active, "status_message")
    assert active.isWindowModified() and active.lesson_files.path is None
    assert (digests(resources), digests(package)) == before


def test_recent_course_lesson_opens_as_a_copy_too(qtbot, active, save_dialog, tmp_path):
    """A course lesson in the recent list opens untitled again: Save asks, never overwrites."""
    course = resources_dir() / "lessons" / "slide-one-weight.gdlesson"
    before = course.read_bytes()
    active.preferences.add_recent_file(str(course))
    menu = active.lesson_files.recent_menu
    menu.aboutToShow.emit()
    [action] = [action for action in menu.actions() if action.text() == str(course)]
    action.trigger()
    assert active.lesson_files.path is None
    active.actions_by_id["save"].trigger()
    assert save_dialog["asked"] == 1
    assert course.read_bytes() == before


def test_title_after_each_kind_of_open_and_save(qtbot, active, save_dialog, tmp_path):
    """The title names the file the next Save writes to, or says untitled; [*] when edited."""
    assert active.windowTitle() == "untitled[*] — gd-desktop"
    path = one_weight_file(tmp_path)
    assert active.open_lesson(path)
    assert active.windowTitle() == f"one weight.gdlesson[*] — {PRESETS[0].name} — gd-desktop"
    active.actions_by_id[preset_action_id("oscillates")].trigger()
    assert active.windowTitle().startswith("untitled[*] — ")
    course_action(active, COURSE_TITLE).trigger()
    assert active.windowTitle() == f"untitled[*] — {COURSE_TITLE} — gd-desktop"
    active.actions_by_id["save_as"].trigger()
    assert active.windowTitle() == f"kept.gdlesson[*] — {COURSE_TITLE} — gd-desktop"
    assert not active.isWindowModified()
    edit_the_target(qtbot, active)
    active.actions_by_id["save"].trigger()
    assert save_dialog["asked"] == 1  # Save wrote to the file the title names
    assert lesson_file.load(tmp_path / "kept.gdlesson").targets.tolist() == [7.0]
    assert not active.isWindowModified()
