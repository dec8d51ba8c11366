"""Make the README's screenshots from the real window, offscreen, at classroom screen sizes.

Run:  .venv/bin/python scripts/screenshot.py [output folder, default docs/]

Each picture is the app as a user sees it after a few clicks, maximised on a screen of 1280 × 800
(a common projector) or 1024 × 768 (an older one): nothing here draws on its own. The offscreen
screens are the GUI tests' (tests/gui/offscreen_screen.json).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENS = ROOT / "tests" / "gui" / "offscreen_screen.json"
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS}"

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gd_desktop.app import build_window, prepare_application  # noqa: E402

TITLE_BAR = 30  # what a window manager's title bar takes of a maximised window's height
# The long narrow valley (Hessian eigenvalues 200 and 2) until its lesson file lands: plain steps
# crawl along w2 at 0.009, momentum 0.9 at 0.009 and Adam at 0.1 get there.
VALLEY_INPUTS = [[10.0, 1.0], [10.0, -1.0]]
VALLEY_TARGETS = [12.0, 8.0]
VALLEY_WEIGHTS = [0.0, 0.0]
VALLEY_RATE = 0.009
VALLEY_STEPS = 120


def shoot(window, path: Path) -> None:
    QApplication.processEvents()
    window.grab().save(str(path))
    print(f"wrote {path}")


def place(window, screen_name: str) -> None:
    """Maximised on that screen, less a title bar."""
    screen = next(s for s in QGuiApplication.screens() if s.name() == screen_name)
    area = screen.availableGeometry()
    window.windowHandle().setScreen(screen)
    window.move(area.topLeft())
    window.resize(area.width(), area.height() - TITLE_BAR)
    QApplication.processEvents()


def steps(window, preset_id: str, count: int) -> None:
    window.choose_preset(preset_id)
    for _ in range(count):
        window.step_button.click()


def shoot_comparison(window, screen_name: str, path: Path) -> None:
    """The comparison of the optimizers on the narrow valley, its window maximised on the
    projector, its contour map drawing every run's path."""
    window.session.load(VALLEY_INPUTS, VALLEY_TARGETS, VALLEY_WEIGHTS, VALLEY_RATE)
    window.show_comparison()
    place(window.comparison, screen_name)
    view = window.compare_view
    view.compare_optimizers()
    for _ in range(VALLEY_STEPS):
        view.step()
    shoot(window.comparison, path)
    window.comparison.hide()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    # Never the user's own settings (nor their language): redirected before the app reads them.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    settings = tempfile.mkdtemp(prefix="gd-desktop-shots-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
    prepare_application(app)
    window = build_window()
    window.preferences.restore_defaults()
    window.show()
    place(window, "projector")

    steps(window, "slide-two-inputs", 2)
    shoot(window, out / "screenshot.png")

    steps(window, "too-big-learning-rate", 6)
    shoot(window, out / "screenshot-too-big.png")

    steps(window, "relu-fits-abs", 8)
    window.on_weight_chosen(2)  # a hidden weight: its three factors, and its loss curve
    shoot(window, out / "screenshot-hidden.png")
    window.lower_tabs.setCurrentIndex(1)  # the contour map over the two output weights
    shoot(window, out / "screenshot-hidden-contour.png")
    window.lower_tabs.setCurrentIndex(0)
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.history_page))
    shoot(window, out / "screenshot-history.png")
    window.tabs.setCurrentIndex(0)

    steps(window, "slide-two-inputs", 1)
    window.on_weight_chosen(0)
    window.presentation.enter()
    for _ in range(3):  # ①, ② and ③ revealed, the diagram ringing the output node
        window.presentation.next()
    shoot(window, out / "screenshot-presentation.png")
    window.presentation.leave()

    shoot_comparison(window, "projector", out / "screenshot-optimizers.png")

    place(window, "small-projector")
    window.set_editing_panel_shown(False)  # as it starts on a screen this narrow
    steps(window, "slide-two-inputs", 2)
    shoot(window, out / "screenshot-1024.png")
    shutil.rmtree(settings, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
