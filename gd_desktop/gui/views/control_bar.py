"""The controls a teacher presses, in one bar that stays put, and the status line under the work.

Every control keeps one size whatever it says (Run or Pause, 0.5 or 10 steps/s), and the status
line keeps a height of two lines whatever it says: nothing moves under the teacher's pointer.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core.i18n import _, ngettext
from gd_desktop.core.limits import SPEEDS
from gd_desktop.core.numbers import format_number

STATUS_LINES = 2  # the status line's fixed height, in lines of its text


def speed_text(speed: float | None) -> str:
    """The run's speed as a reader says it: "full speed", "1 step/s", "0.5 steps/s"."""
    if speed is None:
        return _("full speed")
    count = int(speed) if float(speed).is_integer() else 2  # a fraction reads as a plural
    return ngettext("{speed} step/s", "{speed} steps/s", count).format(speed=format_number(speed))


class SteadyButton(QPushButton):
    """A button as wide as the longest of the texts it can show (Run and Pause)."""

    def __init__(self, texts: tuple[str, ...], parent=None):
        super().__init__(texts[0], parent)
        self._texts = texts

    def set_texts(self, texts: tuple[str, ...], shown: str | None = None) -> None:
        """The texts it can show (in the language in use); ``shown`` the one shown now."""
        self._texts = texts
        self.setText(texts[0] if shown is None else shown)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        shown = self.text()
        widths = []
        for text in self._texts:
            self.setText(text)
            widths.append(super().sizeHint().width())
        self.setText(shown)
        hint = super().sizeHint()
        return QSize(max(widths), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.sizeHint()


class SteadyLabel(QLabel):
    """A label as wide as the longest of the texts it can show (every speed)."""

    def __init__(self, texts: tuple[str, ...], parent=None):
        super().__init__(parent)
        self._texts = texts

    def set_texts(self, texts: tuple[str, ...]) -> None:
        """The texts it can show, in the language in use."""
        self._texts = texts
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        metrics = self.fontMetrics()
        width = max(metrics.horizontalAdvance(text) for text in self._texts)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right() + 2, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.sizeHint()


class StatusLine(QLabel):
    """The message of the moment, word-wrapped in a height of two lines that never changes."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("status_message")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        self.setMargin(4)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return False  # its height is fixed: a longer message must not push the window

    def _height(self) -> int:
        frame = 2 * (self.margin() + self.frameWidth()) + 6  # the style's border
        return STATUS_LINES * self.fontMetrics().lineSpacing() + frame

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(200, self._height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.sizeHint()


def big_button(texts: tuple[str, ...], name: str, tip: str) -> SteadyButton:
    button = SteadyButton(texts)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setAccessibleName(texts[0])
    button.setMinimumHeight(44)
    font = button.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    button.setFont(font)
    return button


def button(text: str, name: str, tip: str) -> QPushButton:
    made = QPushButton()
    made.setObjectName(name)
    set_button_words(made, text, tip)
    return made


def set_button_words(made: QPushButton, text: str, tip: str) -> None:
    """A button's text, tooltip and what a screen reader says (its text without the arrows)."""
    made.setText(text)
    made.setToolTip(tip)
    made.setAccessibleName(text.strip("◀▶ "))


def slider(name: str, accessible_name: str, tip: str) -> QSlider:
    made = QSlider(Qt.Orientation.Horizontal)
    made.setObjectName(name)
    made.setAccessibleName(accessible_name)
    made.setToolTip(tip)
    made.setMinimumWidth(60)
    return made


def speed_texts() -> tuple[str, ...]:
    """Every speed the slider can choose, in the language in use."""
    return tuple(speed_text(speed) for speed in SPEEDS)


def speed_label() -> SteadyLabel:
    label = SteadyLabel(speed_texts())
    label.setObjectName("speed_label")
    return label


class ControlBar(QWidget):
    """The bar of controls; its own two captions follow the language (the controls' words are
    the window's)."""

    def __init__(self, lesson: QComboBox, speed: QWidget) -> None:
        super().__init__()
        self.setObjectName("control_bar")
        self.lesson_label = QLabel()
        self.lesson_label.setObjectName("lesson_label")
        self.lesson_label.setBuddy(lesson)
        self.speed_title = QLabel()
        self.speed_title.setObjectName("speed_title")
        self.speed_title.setBuddy(speed)
        self.retranslate()

    def retranslate(self) -> None:
        self.lesson_label.setText(_("Lesson"))
        self.speed_title.setText(_("Speed"))


def control_bar(
    big: tuple[QPushButton, ...],
    walk: tuple[QWidget, ...],
    lesson: QComboBox,
    speed: tuple[QWidget, QWidget],
) -> QWidget:
    """Step, Run and Reset large on the left; beside them the walk through the history and the
    speed above, the lesson below (a row of its own: a long lesson name in a longer language
    would otherwise make the bar wider than a 1024 px screen)."""
    bar = ControlBar(lesson, speed[0])
    row = QHBoxLayout(bar)
    row.setContentsMargins(6, 4, 6, 4)
    for widget in big:
        widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        row.addWidget(widget)
    right = QVBoxLayout()
    top = QHBoxLayout()
    for widget in walk:
        top.addWidget(widget, 1 if isinstance(widget, QSlider) else 0)
    top.addSpacing(6)
    top.addWidget(bar.speed_title)
    top.addWidget(speed[0])
    top.addWidget(speed[1])
    bottom = QHBoxLayout()
    bottom.addWidget(bar.lesson_label)
    bottom.addWidget(lesson, 1)
    right.addLayout(top)
    right.addLayout(bottom)
    row.addSpacing(6)
    row.addLayout(right, 1)
    return bar
