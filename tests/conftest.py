"""Headless Qt for every test, and a fresh main window per test."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture
def window(qtbot):
    """The real main window, shown, as a user would see it."""
    from gd_desktop.app import build_window

    main_window = build_window()
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    yield main_window
    main_window.session.pause()
