"""Entry points: the window, and the headless ``trace`` command."""

from __future__ import annotations

import os
import sys


def build_window():
    """The main window, ready to show; a QApplication must already exist."""
    from gd_desktop.main_window import MainWindow

    return MainWindow()


def prepare_application(app) -> None:
    """Names and a font readable from the back of a classroom (at least 12 pt)."""
    app.setApplicationName("gd-desktop")
    app.setApplicationDisplayName("gd-desktop")
    font = app.font()
    font.setPointSizeF(max(font.pointSizeF(), 12.0))
    app.setFont(font)


def _display_problem() -> str | None:
    """Why Qt would abort for want of a screen, in words, before it gets the chance."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "gd-desktop: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set). "
        "Start it from a desktop session, or set QT_QPA_PLATFORM=offscreen for a headless run."
    )


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["trace"]:
        from gd_desktop.trace import trace_main

        return trace_main(args[1:])
    if args[:1] in (["-h"], ["--help"]):
        print(
            "usage: gd-desktop [trace ...]\n\n"
            "Without arguments, opens the window.\n"
            "gd-desktop trace --help   runs gradient descent headless and prints every step."
        )
        return 0
    if args:
        print(f"gd-desktop: error: unknown argument {args[0]!r} (try --help)", file=sys.stderr)
        return 2
    problem = _display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    prepare_application(app)
    window = build_window()
    window.show()
    return app.exec()
