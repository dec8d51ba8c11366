"""Make the README's screenshots from the real window, offscreen.

Run:  .venv/bin/python scripts/screenshot.py [output folder, default docs/]

Each picture is the app as a user sees it after a few clicks: nothing here draws on its own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from gd_desktop.app import build_window, prepare_application  # noqa: E402

SIZE = (1280, 800)  # a common classroom projector


def shoot(window, path: Path) -> None:
    QApplication.processEvents()
    window.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    docs = Path(__file__).resolve().parent.parent / "docs"
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else docs
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    prepare_application(app)
    window = build_window()
    window.resize(*SIZE)
    window.show()
    QApplication.processEvents()

    window.choose_preset("slide-two-inputs")
    for _ in range(2):
        window.step_button.click()
    shoot(window, out / "screenshot.png")

    window.choose_preset("too-big-learning-rate")
    for _ in range(6):
        window.step_button.click()
    shoot(window, out / "screenshot-too-big.png")

    window.choose_preset("relu-fits-abs")
    for _ in range(8):
        window.step_button.click()
    window.on_weight_chosen(2)  # a hidden weight: its three factors, and its loss curve
    shoot(window, out / "screenshot-hidden.png")
    window.lower_tabs.setCurrentIndex(1)  # the contour map over the two output weights
    shoot(window, out / "screenshot-hidden-contour.png")
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.history_page))
    shoot(window, out / "screenshot-history.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
