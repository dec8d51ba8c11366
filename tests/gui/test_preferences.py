"""Preferences survive a restart, can be reset for a classroom, and never touch a user's own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from gd_desktop.gui.settings import Preferences
from tests.gui.helpers import open_window


def reopen(qtbot):
    """A second window in the same test, as after closing and starting the app again."""
    return open_window(qtbot)


def test_settings_live_in_the_tests_own_folder(qtbot, window, private_settings):
    """The app's settings (the store Preferences uses, not just QSettings' default) are written
    under this test's own folder, and only there."""
    assert Preferences().file_name.startswith(str(private_settings))
    assert window.preferences.file_name == Preferences().file_name
    window.appearance.set_theme("dark")
    window.close()
    written = [path for path in private_settings.rglob("*") if path.is_file()]
    assert [path.name for path in written] == [Path(Preferences().file_name).name]
    assert "theme=dark" in written[0].read_text()


def test_theme_and_text_size_are_remembered(qtbot, window):
    """Dark theme and larger text, closed and reopened, come back as they were."""
    window.appearance.set_theme("dark")
    window.appearance.scale_text(1.15)
    window.close()
    again = reopen(qtbot)
    try:
        assert again.appearance.theme.id == "dark"
        assert again.appearance.text_scale == 1.15
        ink = QApplication.instance().palette().color(QPalette.ColorRole.WindowText)
        assert ink.lightness() > 200  # light text on a dark ground
    finally:
        again.appearance.restore_defaults()


def test_window_geometry_is_remembered(qtbot, window, monkeypatch):
    """The geometry saved at close is the one given back to the next window."""
    window.close()
    saved = Preferences().geometry
    assert saved is not None and saved == window.saveGeometry()
    from gd_desktop.gui.main_window import MainWindow

    restored = []
    monkeypatch.setattr(MainWindow, "restoreGeometry", lambda self, data: restored.append(data))
    reopen(qtbot)
    # (The offscreen screen is smaller than the window, so Qt would clamp any size: checking
    # the hand-over, not the pixels, keeps this test about our code.)
    assert restored == [saved]


def test_restore_defaults_forgets_everything(qtbot, window):
    """Restore default settings: light theme, normal text, no recent files."""
    window.appearance.set_theme("high contrast")
    window.appearance.scale_text(1.3)
    Preferences().add_recent_file("/tmp/a.gdlesson")
    window.appearance.restore_defaults()
    preferences = Preferences()
    assert preferences.theme == "light" and preferences.text_scale == 1.0
    assert preferences.recent_files == []
    assert window.appearance.theme.id == "light" and window.appearance.text_scale == 1.0


def test_recent_files_keep_the_newest_first_without_repeats():
    """Opening a file again moves it to the top; the list holds at most eight."""
    preferences = Preferences()
    for number in range(10):
        preferences.add_recent_file(f"/lessons/{number}.gdlesson")
    preferences.add_recent_file("/lessons/5.gdlesson")
    recent = preferences.recent_files
    assert recent[0] == "/lessons/5.gdlesson" and len(recent) == 8
    assert recent.count("/lessons/5.gdlesson") == 1


def test_bad_stored_values_fall_back_to_defaults():
    """A hand-edited settings file with nonsense gives the defaults, not a crash."""
    store = QSettings(Preferences().file_name, QSettings.Format.IniFormat)
    store.setValue("view/theme", "purple")
    store.setValue("view/text_scale", "huge")
    store.sync()
    assert "purple" in Path(Preferences().file_name).read_text()
    preferences = Preferences()
    assert preferences.theme == "light" and preferences.text_scale == 1.0
