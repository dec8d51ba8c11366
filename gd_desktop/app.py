"""Entry points: the window, and the headless ``trace`` command."""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from gd_desktop.core.i18n import _


@contextmanager
def collector_paused():
    """Run a block without the cyclic garbage collector; it is back as it was afterwards.

    Importing numpy, Qt and pyqtgraph and building the window make ~70,000 objects that live as
    long as the app. The collector would walk them all about fifteen times while they are made
    (~100 ms of a one-second start here).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_window():
    """The main window, ready to show; a QApplication must already exist."""
    with collector_paused():
        from gd_desktop.gui.main_window import MainWindow

        return MainWindow()


def prepare_application(app) -> None:
    """Names, icon, a font readable from the back of a classroom (at least 12 pt), and the
    language: the one chosen in View ▸ Language, else the system's (Qt's own texts too)."""
    from gd_desktop.gui.desktop_integration import APP_ID, application_icon
    from gd_desktop.gui.i18n import install_language
    from gd_desktop.gui.settings import Preferences

    install_language(Preferences().language)

    app.setApplicationName("gd-desktop")
    app.setApplicationDisplayName("gd-desktop")
    app.setWindowIcon(application_icon())
    # Wayland shows the icon and name of the desktop entry with this name (gd-desktop.desktop).
    app.setDesktopFileName(APP_ID)
    font = app.font()
    font.setPointSizeF(max(font.pointSizeF(), 12.0))
    app.setFont(font)


def _display_problem() -> str | None:
    """Why Qt would abort for want of a screen, in words, before it gets the chance."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return _(
        "gd-desktop: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        "Start it from a desktop session, or set QT_QPA_PLATFORM=offscreen for a headless run."
    )


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["trace"]:
        from gd_desktop.core.trace import trace_main

        return trace_main(args[1:])
    if args[:1] in (["-h"], ["--help"]):
        print(
            _(
                "usage: gd-desktop [LESSON.gdlesson | trace ... | --self-test |"
                " --install-desktop-entry | --version]\n\n"
                "Without arguments, opens the window; with a lesson file, opens it.\n"
                "gd-desktop trace --help   runs gradient descent headless and prints every step.\n"
                "--self-test               drives the window offscreen through the course's"
                " examples;\n"
                "                          prints OK and exits 0, or the reason and exits 1.\n"
                "--install-desktop-entry   adds gd-desktop to this user's applications menu.\n"
                "--version                 prints the version.\n\n"
                "The language is the system's (LANGUAGE=de gd-desktop is German) unless one is"
                " chosen in View ▸ Language."
            )
        )
        return 0
    if args[:1] == ["--version"]:
        from gd_desktop import __version__

        print(f"gd-desktop {__version__}")
        return 0
    if args[:1] == ["--self-test"]:
        from gd_desktop.gui.self_test import main as self_test_main

        return self_test_main(args[1:])
    if args[:1] == ["--install-desktop-entry"]:
        from gd_desktop.gui.desktop_integration import install_main

        return install_main(args[1:])
    lesson_path = None
    if len(args) == 1 and not args[0].startswith("-"):
        lesson_path = Path(args[0])  # double-clicking a lesson file runs `gd-desktop FILE`
        args = []
    if args:
        print(
            _("gd-desktop: error: unknown argument {argument} (try --help)").format(
                argument=repr(args[0])
            ),
            file=sys.stderr,
        )
        return 2
    problem = _display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return _run_window(lesson_path)


def open_window():
    """The QApplication, prepared, and the main window, built but not yet shown.

    What ``gd-desktop`` does before it shows the window (the start-up benchmark runs it too);
    the collector is paused from the first Qt import on, and what start-up made is frozen.
    """
    with collector_paused():
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication([sys.argv[0]])
        prepare_application(app)
        window = build_window()
        # What start-up made lives as long as the app: frozen, no later collection walks it
        # (a full one would take ~80 ms during a run). Start-up leaves ~450 unreachable objects;
        # keeping them costs less than the 80 ms of collecting them first.
        gc.freeze()
    return app, window


def _run_window(lesson_path: Path | None) -> int:
    """Open the window (with a lesson, if given: a bad one is reported in the window)."""
    app, window = open_window()
    window.show()
    if lesson_path is not None:
        window.open_lesson(lesson_path)
    return app.exec()
