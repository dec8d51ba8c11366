"""What the window tests do as a user would: find a widget by its objectName, type, click, read."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
)


def open_window(qtbot):
    """A new main window, shown, as a user would see it (closed by qtbot after the test)."""
    from gd_desktop.app import build_window

    main_window = build_window()
    # Closing with unsaved changes asks in a dialog; a test answers "discard" unless it says.
    main_window.confirm_unsaved = lambda: "discard"
    # A test may leave "cancel" as the answer: at the end the window must close all the same.
    qtbot.addWidget(main_window, before_close_func=_answer_discard)
    main_window.show()
    qtbot.waitExposed(main_window)
    return main_window


def _answer_discard(main_window) -> None:
    main_window.confirm_unsaved = lambda: "discard"


def find(window, cls, name):
    widget = window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name!r}"
    return widget


def type_into(qtbot, box, text: str) -> None:
    """Select what the box holds, type ``text`` and press Enter, as a user would."""
    line = box.lineEdit()
    box.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def click(qtbot, window, name: str) -> None:
    qtbot.mouseClick(find(window, QPushButton, name), Qt.MouseButton.LeftButton)


def open_tab(qtbot, window, tabs_name: str, page_name: str) -> None:
    """Click the tab of the page named ``page_name`` (some pages are only made when opened)."""
    tabs = find(window, QTabWidget, tabs_name)
    bar = tabs.tabBar()
    pages = [tabs.widget(i).objectName() for i in range(tabs.count())]
    assert page_name in pages, f"no page {page_name!r} in {tabs_name!r}: {pages}"
    index = pages.index(page_name)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def shown(window, name: str) -> str:
    return find(window, QLabel, name).text()


def all_visible_text(window) -> str:
    texts = [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
    texts += [box.text() for box in window.findChildren(QDoubleSpinBox) if box.isVisible()]
    return "\n".join(texts)


def explanation(window) -> str:
    return find(window, QTextBrowser, "explanation").toPlainText()


def choose_preset(qtbot, window, preset_id: str) -> None:
    """Choose the preset with this id in the list, as a user would."""
    combo = find(window, QComboBox, "preset_combo")
    index = combo.findData(preset_id)
    assert index >= 0, preset_id
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what a user's choice in the list sends
