"""Headless Qt for every window test, settings in a temporary folder, a fresh main window."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from tests.gui.helpers import open_window  # noqa: E402


@pytest.fixture
def window(qtbot):
    """The real main window, shown, as a user would see it."""
    main_window = open_window(qtbot)
    yield main_window
    main_window.session.pause()


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory):
    """QSettings in a folder of the test run's own: no test reads or writes a user's settings."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    # Preferences' QSettings("gd-desktop", "gd-desktop") is in the native format: without this
    # every test read and wrote ~/.config/gd-desktop/gd-desktop.conf, shared by every run.
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    yield folder
