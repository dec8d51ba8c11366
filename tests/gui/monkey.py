"""A monkey for the real window: random actions a careless class would take, with every dialog
answered, hostile typing and hostile files, and a check every so often that nothing on screen
or in a plot is NaN or infinite and that nothing was written outside the test's folder.

tests/gui/test_monkey.py runs it in the suite (fixed seeds, about two minutes). The long run,
10,000 actions × 5 seeds, is ``python -m tests.gui.monkey [ACTIONS [SEEDS]]``. A hang fails
instead of stalling: a watchdog re-armed before every action ends the process with every
thread's traceback if one action takes too long.
"""

from __future__ import annotations

import faulthandler
import math
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSlider,
    QTabWidget,
    QTextBrowser,
    QWidget,
)

from tests.gui.monkey_inputs import (
    HOSTILE_TEXT,
    KEYS,
    NON_FINITE,
    PASTED_ROWS,
    ROOT,
    hostile_files,
    lesson_hashes,
    tree_state,
)

WATCHDOG_SECONDS = 60  # one action, its repaint included; a hang ends the run with a traceback
CHECK_EVERY = 100


class Watchdog:
    """Ends the process when one action runs too long, saying which actions led there and where
    every thread is; faulthandler's own timer backs it up should the main thread hold the GIL."""

    def __init__(self, describe: Callable[[], str]):
        self.describe = describe
        self.deadline = math.inf
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)
        self.thread.start()

    def arm(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        faulthandler.dump_traceback_later(seconds + 30, exit=True)

    def watch(self) -> None:
        while not self.stopped.wait(0.5):
            if time.monotonic() > self.deadline:
                print(f"\nHANG: one action took over {WATCHDOG_SECONDS} s\n{self.describe()}",
                      file=sys.stderr, flush=True)  # fmt: skip
                faulthandler.dump_traceback(all_threads=True)
                os._exit(70)

    def stop(self) -> None:
        self.stopped.set()
        faulthandler.cancel_dump_traceback_later()


@dataclass
class Monkey:
    """Drives one window with one seed; ``log`` keeps the last actions for a failure's message."""

    window: QWidget
    qtbot: object
    folder: Path
    seed: int
    log: deque = field(default_factory=lambda: deque(maxlen=40))
    counts: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        self.files = hostile_files(self.folder / "given")
        self.saved = self.folder / "saved"
        self.saved.mkdir(parents=True, exist_ok=True)
        self.actions: list[tuple[str, Callable[[], None], float]] = [
            ("click a button", self.click_button, 6),
            ("trigger a menu action", self.trigger_action, 4),
            ("type into a box", self.type_into_box, 6),
            ("press a key", self.press_key, 4),
            ("switch a tab", self.switch_tab, 2),
            ("run, then pause", self.run_and_pause, 1),
            ("paste rows", self.paste_rows, 1),
            ("click or drag a plot or the diagram", self.click_picture, 2),
            ("move a slider", self.move_slider, 1),
            ("choose in a list", self.choose_in_combo, 2),
        ]
        weights = np.array([w for _name, _act, w in self.actions], dtype=float)
        self.weights = weights / weights.sum()

    # ------------------------------------------------------------- dialogs, answered by the test
    def answer_dialogs(self, monkeypatch) -> None:
        """Every dialog the window opens gets an answer at once: a file, a cancel, a choice."""

        def open_name(*_args, **_kwargs):
            choice = self.pick([*self.files, *self.saved.glob("*"), None])
            return ("" if choice is None else str(choice), "")

        def save_name(*_args, **_kwargs):
            names = ["lesson.gdlesson", "history.csv", "plots.png", "plots.svg", "handout.png"]
            choice = self.pick([*names, None, "no-extension"])
            return ("" if choice is None else str(self.saved / choice), "")

        def open_dialog(dialog):  # the data panel's non-blocking import dialog
            choice = self.pick([*self.files, None])
            if choice is not None:
                QTimer.singleShot(0, lambda: dialog.fileSelected.emit(str(choice)))
            QTimer.singleShot(0, dialog.close)

        buttons = QMessageBox.StandardButton
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(open_name))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
        monkeypatch.setattr(QFileDialog, "open", open_dialog)
        monkeypatch.setattr(
            QMessageBox,
            "question",
            staticmethod(
                lambda *a, **k: self.pick([buttons.Save, buttons.Discard, buttons.Cancel])
            ),
        )
        for name in ("warning", "information", "critical"):
            monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: buttons.Ok))
        self.window.confirm_unsaved = lambda: self.pick(["save", "discard", "cancel"])

    # ------------------------------------------------------------------------------ helpers
    def pick(self, items):
        items = list(items)
        return items[int(self.rng.integers(len(items)))] if items else None

    def visible(self, cls) -> list:
        found = [w for w in self.window.findChildren(cls) if w.isVisible() and w.isEnabled()]
        return sorted(found, key=lambda w: (w.objectName(), type(w).__name__))

    def note(self, text: str) -> None:
        self.log.append(text)

    # ------------------------------------------------------------------------------ actions
    def click_button(self) -> None:
        buttons = [b for b in self.visible(QAbstractButton) if b.objectName() != "qt_scrollarea"]
        button = self.pick(buttons)
        if button is not None:
            self.note(f"click {button.objectName() or type(button).__name__}")
            self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def all_actions(self) -> list[QAction]:
        found = []

        def walk(menu: QMenu) -> None:
            menu.aboutToShow.emit()  # menus filled when first shown (course and recent lessons)
            for action in menu.actions():
                if action.menu() is not None:
                    walk(action.menu())
                elif not action.isSeparator() and action.isEnabled():
                    found.append(action)

        for top in self.window.menuBar().actions():
            if top.menu() is not None:
                walk(top.menu())
        quitting = set(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit))
        return [a for a in found if not quitting & set(a.shortcuts())]

    def trigger_action(self) -> None:
        action = self.pick(self.all_actions())
        if action is not None:
            self.note(f"menu {action.objectName() or action.text()!r}")
            action.trigger()

    def type_into_box(self) -> None:
        boxes = self.visible(QAbstractSpinBox) + [
            line
            for line in self.visible(QLineEdit)
            if not isinstance(line.parent(), QAbstractSpinBox)
        ]
        box = self.pick(boxes)
        if box is None:
            return
        text = (
            self.pick(HOSTILE_TEXT) if self.rng.random() < 0.5 else f"{self.rng.normal(0, 3):.3g}"
        )
        line = box.lineEdit() if isinstance(box, QAbstractSpinBox) else box
        self.note(f"type {text[:20]!r} into {box.objectName()}")
        box.setFocus()
        line.selectAll()
        self.type_text(line, text)
        key = self.pick([Qt.Key.Key_Return, Qt.Key.Key_Tab, Qt.Key.Key_Escape, Qt.Key.Key_Up])
        self.qtbot.keyClick(line, key)

    def type_text(self, line: QLineEdit, text: str) -> None:
        """Key by key; a character no key makes ("∞") comes as a keyboard layout would send it."""
        for character in text:
            if character.isascii():
                self.qtbot.keyClicks(line, character)
            else:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character)
                    QApplication.sendEvent(line, event)

    def press_key(self) -> None:
        key = self.pick(KEYS)
        modifier = self.pick(
            [Qt.KeyboardModifier.NoModifier] * 4
            + [Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier]
        )
        if self.rng.random() < 0.5:
            target = QApplication.focusWidget() or self.window
        else:
            self.window.setFocus()
            target = self.window
        self.note(f"key {key!r} {modifier!r} on {target.objectName() or type(target).__name__}")
        self.qtbot.keyClick(target, key, modifier)

    def switch_tab(self) -> None:
        tabs = self.pick(self.visible(QTabWidget))
        if tabs is not None and tabs.count():
            index = int(self.rng.integers(tabs.count()))
            self.note(f"tab {tabs.objectName()} → {index}")
            bar = tabs.tabBar()
            self.qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())

    def run_and_pause(self) -> None:
        session = self.window.session
        self.note("run, wait, pause")
        session.run()
        self.qtbot.wait(int(self.rng.integers(0, 60)))
        session.pause()

    def paste_rows(self) -> None:
        text = self.pick(PASTED_ROWS)
        self.note(f"paste {text[:30]!r}")
        QGuiApplication.clipboard().setText(text)
        panel = self.window.data_panel  # made on first use, like the tab
        panel.paste_rows()

    def click_picture(self) -> None:
        pictures = self.visible(pg.PlotWidget) + [
            w for w in self.visible(QWidget) if w.objectName() == "network_view"
        ]
        widget = self.pick(pictures)
        if widget is None:
            return
        target = widget.viewport() if isinstance(widget, pg.PlotWidget) else widget
        size = target.size()

        def somewhere() -> QPoint:
            return QPoint(
                int(self.rng.integers(max(1, size.width()))),
                int(self.rng.integers(max(1, size.height()))),
            )

        start = somewhere()
        self.note(f"click/drag on {widget.objectName()} at {start.x()},{start.y()}")
        if self.rng.random() < 0.5:
            self.qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=start)
        else:
            self.qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=start)
            self.qtbot.mouseMove(target, somewhere())
            self.qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=somewhere())
        if self.rng.random() < 0.2:  # a wheel turn zooms a plot
            self.qtbot.mouseDClick(target, Qt.MouseButton.LeftButton, pos=somewhere())

    def move_slider(self) -> None:
        slider = self.pick(self.visible(QSlider))
        if slider is not None:
            value = int(self.rng.integers(slider.minimum(), slider.maximum() + 1))
            self.note(f"slider {slider.objectName()} → {value}")
            slider.setValue(value)

    def choose_in_combo(self) -> None:
        combo = self.pick(self.visible(QComboBox))
        if combo is not None and combo.count():
            index = int(self.rng.integers(combo.count()))
            self.note(f"choose {index} in {combo.objectName()}")
            combo.setCurrentIndex(index)
            combo.activated.emit(index)  # what a user's choice in the list sends

    # ------------------------------------------------------------------------------ checks
    def check_nothing_non_finite(self) -> None:
        """No visible text shows nan or inf; every plotted number and every plot range is finite."""
        texts = [(w.objectName(), w.text()) for w in self.visible(QLabel)]
        texts += [(w.objectName(), w.text()) for w in self.visible(QAbstractSpinBox)]
        texts += [(w.objectName(), w.toPlainText()) for w in self.visible(QTextBrowser)]
        texts.append(("window title", self.window.windowTitle()))
        for name, text in texts:
            assert not NON_FINITE.search(text), f"{name} shows a non-finite number: {text[:200]!r}"
        for plot in self.window.findChildren(pg.PlotWidget):
            if not plot.isVisible():
                continue
            item = plot.getPlotItem()
            for low, high in item.getViewBox().viewRange():
                assert math.isfinite(low) and math.isfinite(high), f"{plot.objectName()} range"
            for data in item.listDataItems():
                x, y = data.getData()
                for values in (x, y):
                    if values is not None and len(values):
                        assert np.all(np.isfinite(values)), f"{plot.objectName()} plots non-finite"

    # ------------------------------------------------------------------------------ the run
    def run(self, count: int, qt_log=None) -> None:
        """``count`` random actions; the first exception, Qt warning or hang fails the run at
        once, naming the action and the ones before it (``qt_log``: pytest-qt's qtlog)."""
        root_before = tree_state(ROOT)
        lessons_before = lesson_hashes(ROOT)
        watchdog = Watchdog(lambda: f"seed {self.seed}, last actions:\n  " + "\n  ".join(self.log))
        warnings_seen = 0
        try:
            with self.qtbot.capture_exceptions() as caught:
                for number in range(1, count + 1):
                    watchdog.arm(WATCHDOG_SECONDS)
                    name, act, _weight = self.actions[
                        int(self.rng.choice(len(self.actions), p=self.weights))
                    ]
                    self.counts[name] = self.counts.get(name, 0) + 1
                    try:
                        act()
                        QApplication.processEvents()
                        if caught:  # raised in a slot or an event handler
                            raise caught[0][1]
                        warnings_seen = self.check_no_qt_warning(qt_log, warnings_seen)
                        if number % CHECK_EVERY == 0 or number == count:
                            self.check_nothing_non_finite()
                            self.check_nothing_written(root_before, lessons_before)
                    except BaseException as error:
                        last = "\n  ".join(self.log)
                        raise AssertionError(
                            f"seed {self.seed}, action {number} ({name}): {error!r}\n"
                            f"last actions:\n  {last}"
                        ) from error
        finally:
            watchdog.stop()
            self.window.session.pause()

    @staticmethod
    def check_nothing_written(root_before: dict, lessons_before: dict) -> None:
        """Nothing under the project changed: no course lesson, no file of the source tree."""
        assert lesson_hashes(ROOT) == lessons_before, "a course lesson's file was changed"
        changed = {
            path for path, state in tree_state(ROOT).items() if root_before.get(path) != state
        }
        assert not changed, f"files written outside the test's folder: {sorted(changed)[:10]}"

    @staticmethod
    def check_no_qt_warning(qt_log, seen: int) -> int:
        """A Qt warning since the last look fails the run (pytest-qt would only say so at the
        end, far from the action that caused it); returns how many records were looked at."""
        if qt_log is None:
            return seen
        records = qt_log.records
        for record in records[seen:]:
            if not record.ignored and record.log_type_name in ("WARNING", "CRITICAL", "FATAL"):
                raise AssertionError(f"Qt {record.log_type_name.lower()}: {record.message}")
        return len(records)


def main(argv: list[str] | None = None) -> int:
    """The long run: ``python -m tests.gui.monkey [ACTIONS [SEEDS]]`` (10,000 × 5 by default)."""
    import subprocess

    args = list(sys.argv[1:] if argv is None else argv)
    actions = int(args[0]) if args else 10_000
    seeds = int(args[1]) if len(args) > 1 else 5
    env = dict(os.environ, GD_MONKEY_ACTIONS=str(actions), GD_MONKEY_SEEDS=str(seeds))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-s"]
    command.append(str(Path(__file__).with_name("test_monkey.py")))
    return subprocess.call(command, env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
