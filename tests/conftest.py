"""Headless Qt for every test, and a fresh main window per test."""

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


def need_tool(name: str, package: str) -> str:
    """The path of a system tool the test needs; a clear failure (not a skip) without it."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: apt-get install {package} (scripts/_setup.sh does this "
            "when run as root)"
        )
    return path


def open_window(qtbot):
    """A new main window, shown, as a user would see it (closed by qtbot after the test)."""
    from gd_desktop.app import build_window

    main_window = build_window()
    # Closing with unsaved changes asks in a dialog; a test answers "discard" unless it says.
    main_window.confirm_unsaved = lambda: "discard"
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    return main_window


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
    yield folder
