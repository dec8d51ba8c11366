"""Headless Qt for every window test, settings in a temporary folder, a fresh main window, and
no window left open for the next test."""

import os
from pathlib import Path

# The offscreen platform's own screen is 800 × 800, smaller than the window's minimum: the tests
# run on a screen of a classroom projector's size instead (1280 × 800).
SCREEN_CONFIG = Path(__file__).with_name("offscreen_screen.json")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN_CONFIG}"

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

    from gd_desktop.gui.settings import FORMAT

    folder = tmp_path_factory.mktemp("settings")
    # The app's own format (native: setting only IniFormat's path left every test reading and
    # writing ~/.config/gd-desktop, shared with the other tests and with any other run), and
    # the system scope too, so that nothing in /etc/xdg is read either.
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        for settings_format in {FORMAT, QSettings.Format.IniFormat}:
            QSettings.setPath(settings_format, scope, str(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    yield folder


@pytest.fixture(autouse=True)
def no_window_left_open():
    """After each test (once pytest-qt has closed its widgets) no main window is still open.

    A window that refused to close (a test's last answer to "Save the changes?" was Cancel) stayed
    on screen into the next tests: it kept the keyboard focus, its timers and its settings, and
    later tests failed for it. Failing here names the test that left it.
    """
    yield
    from PySide6.QtWidgets import QApplication

    from gd_desktop.gui.main_window import MainWindow

    if QApplication.instance() is None:
        return
    left = [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, MainWindow) and widget.isVisible()
    ]
    for widget in left:
        widget.confirm_unsaved = lambda: "discard"
        widget.close()
    assert not left, "the test left a main window open (closing it asked and was cancelled?)"


@pytest.fixture(autouse=True)
def application_state_kept():
    """Each test starts with the application's font and language as the first test found them.

    prepare_application (what gd-desktop runs at start) sets a 12 pt font for the back of the
    room, and the monkey chooses any language from View ▸ Language: either left every later test
    measuring its layout in that font, or reading French.
    """
    from PySide6.QtWidgets import QApplication

    from gd_desktop.core import i18n

    app = QApplication.instance()
    font = app.font() if app is not None else None
    language = i18n.current_language()
    yield
    if font is not None and QApplication.instance() is app:
        app.setFont(font)
    if i18n.current_language() != language:
        from gd_desktop.gui.i18n import install_language

        install_language("")  # the environment's language, which the suite runs in
