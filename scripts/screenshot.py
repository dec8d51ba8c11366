"""Make the README's screenshots from the real window, offscreen, at classroom screen sizes.

Run:  .venv/bin/python scripts/screenshot.py [output folder, default docs/]
      .venv/bin/python scripts/screenshot.py --languages [folder, default docs/screenshots/]
      (the window in each shipped language at 1280 × 800: <folder>/<code>.png; zh_CN needs a
      CJK font such as fonts-noto-cjk)

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
sys.path.insert(0, str(ROOT))  # this checkout's window, whichever one the venv was installed from
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS}"

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gd_desktop.app import build_window, prepare_application  # noqa: E402

TITLE_BAR = 30  # what a window manager's title bar takes of a maximised window's height
# The long narrow valley (Hessian eigenvalues 200 and 2) until its lesson file lands: plain steps
# crawl along w2 at 0.009, momentum 0.9 at 0.009 and Adam at 0.1 get there.
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


def shoot_languages(out: Path) -> None:
    """The two-input slide after two Steps, at 1280 × 800, in each shipped language."""
    from gd_desktop.core.i18n import SHIPPED

    for code in SHIPPED:
        window = build_window()
        window.preferences.restore_defaults()
        window.show()
        place(window, "projector")
        window.language.choose(code)
        steps(window, "slide-two-inputs", 2)
        shoot(window, out / f"{code}.png")
        window.confirm_unsaved = lambda: "discard"
        window.close()
        window.language.choose("")


def shoot_comparison(window, screen_name: str, path: Path) -> None:
    """The comparison of the optimizers on the narrow valley, its window maximised on the
    projector, its contour map drawing every run's path."""
    window.choose_preset("narrow-valley")
    window.show_comparison()
    place(window.comparison, screen_name)
    view = window.compare_view
    view.compare_optimizers()
    for _ in range(VALLEY_STEPS):
        view.step()
    shoot(window.comparison, path)
    window.comparison.hide()


def main() -> int:
    languages = sys.argv[1:2] == ["--languages"]
    args = sys.argv[2:] if languages else sys.argv[1:]
    out = Path(args[0]) if args else ROOT / "docs" / ("screenshots" if languages else "")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # never the user's own settings
    settings = tempfile.mkdtemp(prefix="gd-desktop-shots-")
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        # Native too: the app's Preferences use it (gui/settings.py), and would write ~/.config.
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(settings_format, scope, settings)
    prepare_application(app)  # after the settings' folder: the user's language is not read
    if languages:
        shoot_languages(out)
        shutil.rmtree(settings, ignore_errors=True)
        return 0
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
