"""One row of the comparison per run: shown or not, its optimizer, its main setting, its rate,
its look and a button to remove it. A row only shows a core RunChoice and reports edits."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton, QSizePolicy

from gd_desktop.core import comparison
from gd_desktop.core.comparison import RunChoice
from gd_desktop.core.i18n import _
from gd_desktop.core.numbers import format_number
from gd_desktop.core.optimizers import OPTIMIZERS
from gd_desktop.gui.views.plot_style import BLUE, GREEN, ORANGE, VERMILION
from gd_desktop.gui.views.widgets import NumberBox, signals_blocked

PURPLE = "#CC79A7"  # Okabe–Ito reddish purple
SKY = "#56B4E9"  # Okabe–Ito sky blue


class RunStyle(NamedTuple):
    """How a run is drawn: colour, line, pyqtgraph symbol, and the same look in text."""

    colour: str
    line: Qt.PenStyle
    symbol: str
    glyph: str


RUN_STYLES = (
    RunStyle(BLUE, Qt.PenStyle.SolidLine, "o", "━●━"),
    RunStyle(ORANGE, Qt.PenStyle.DashLine, "s", "╍■╍"),
    RunStyle(GREEN, Qt.PenStyle.DotLine, "t", "┉▼┉"),
    RunStyle(PURPLE, Qt.PenStyle.DashDotLine, "d", "━·◆"),
    RunStyle(VERMILION, Qt.PenStyle.DashDotDotLine, "t1", "━··▲"),
    RunStyle(SKY, Qt.PenStyle.SolidLine, "star", "━★━"),
)
assert len(RUN_STYLES) == comparison.MAX_RUNS


def style_words(index: int) -> str:
    """The run's look in words, for screen readers and tooltips."""
    looks = (
        _("in blue, a solid line with circles"),
        _("in orange, a dashed line with squares"),
        _("in green, a dotted line with triangles"),
        _("in purple, a dash-dotted line with diamonds"),
        _("in vermilion, a dash-dot-dotted line with upward triangles"),
        _("in sky blue, a solid line with stars"),
    )
    return looks[index]


class RunRow(QObject):
    """The controls of run ``index``; ``edited`` carries the choice the user made."""

    edited = Signal(int, object)  # (index, RunChoice): a typed rate or setting
    optimizer_chosen = Signal(int, str)  # (index, optimizer id)
    removed = Signal(int)
    use_changed = Signal(int, bool)

    def __init__(self, index: int, parent=None):
        super().__init__(parent)
        self.index = index
        self._choice: RunChoice | None = None
        self.use = QCheckBox()
        self.use.setObjectName(f"compare_use_{index}")
        self.use.setChecked(True)
        self.use.toggled.connect(lambda checked: self.use_changed.emit(index, checked))
        self.optimizer = QComboBox()
        self.optimizer.setObjectName(f"compare_optimizer_{index}")
        for name in OPTIMIZERS:
            self.optimizer.addItem("", name)  # the id is the item's data; words in retranslate
        self.optimizer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.optimizer.currentIndexChanged.connect(self._on_optimizer_chosen)
        self.setting_label = QLabel()
        self.setting_label.setObjectName(f"compare_setting_label_{index}")
        self.setting_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setting = NumberBox(0.0, 0.999999, 0.01)
        self.setting.setObjectName(f"compare_setting_{index}")
        self.setting.setMinimumWidth(80)
        self.setting.valueChanged.connect(self._on_setting_typed)
        self.rate = NumberBox(0.0, comparison.HIGHEST_RATE, 0.001)
        self.rate.setObjectName(f"compare_rate_{index}")
        self.rate.setMinimumWidth(100)
        self.rate.valueChanged.connect(self._on_rate_typed)
        style = RUN_STYLES[index]
        self.glyph = QLabel(
            f"<span style='color:{style.colour}; font-weight: bold'>{style.glyph}</span>"
        )
        self.glyph.setObjectName(f"compare_glyph_{index}")
        self.remove = QPushButton("✕")
        self.remove.setObjectName(f"compare_remove_{index}")
        self.remove.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.remove.setMaximumWidth(self.remove.fontMetrics().horizontalAdvance("✕") + 24)
        self.remove.clicked.connect(lambda: self.removed.emit(index))
        self.state = QLabel()  # how the run is doing, in words (core/comparison.describe)
        self.state.setObjectName(f"compare_state_{index}")
        self.state.setWordWrap(True)
        self.state.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for kept in (self.setting_label, self.setting):  # hidden for AdaGrad: the row stays
            policy = kept.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            kept.setSizePolicy(policy)

    @property
    def widgets(self) -> tuple:
        return (
            self.use, self.glyph, self.optimizer, self.setting_label, self.setting, self.rate,
            self.remove, self.state,
        )  # fmt: skip

    def retranslate(self) -> None:
        n = self.index + 1
        self.use.setText(_("Run {number}").format(number=n))
        self.use.setAccessibleName(_("Show run {number}").format(number=n))
        self.use.setToolTip(
            _("Tick to show run {number} and step it with the others; untick to hide it.").format(
                number=n
            )
        )
        with signals_blocked(self.optimizer):
            for item in range(self.optimizer.count()):
                title = comparison.optimizer_title(self.optimizer.itemData(item))
                self.optimizer.setItemText(item, title)
        self.optimizer.setAccessibleName(_("Optimizer of run {number}").format(number=n))
        self.optimizer.setToolTip(
            _("How run {number} steps: it starts again with this optimizer.").format(number=n)
        )
        self.rate.setAccessibleName(_("Learning rate of run {number}").format(number=n))
        self.setting.setAccessibleName(_("Setting of run {number}").format(number=n))
        look = style_words(self.index)
        self.glyph.setAccessibleName(_("Run {number} is drawn {look}").format(number=n, look=look))
        self.glyph.setToolTip(_("Run {number} is drawn {look}.").format(number=n, look=look))
        self.remove.setAccessibleName(_("Remove run {number}").format(number=n))
        self.remove.setToolTip(_("Remove run {number} from the comparison").format(number=n))
        if self._choice is not None:
            self.show_choice(self._choice)

    def show_choice(self, choice: RunChoice | None) -> None:
        """Show this run's choice (None: the row is empty and hidden)."""
        self._choice = choice
        for widget in self.widgets:
            widget.setVisible(choice is not None)
        if choice is None:
            return
        n = self.index + 1
        with signals_blocked(self.optimizer):
            self.optimizer.setCurrentIndex(self.optimizer.findData(choice.optimizer))
        self.rate.show_value(choice.learning_rate)
        self.rate.setToolTip(
            _(
                "Learning rate of run {number}: {rate}. Type another and press Enter: this run "
                "starts again and catches up with the others."
            ).format(number=n, rate=format_number(choice.learning_rate))
        )
        field = choice.setting_field
        has_setting = field is not None and choice.setting is not None
        self.setting_label.setText(comparison.SETTING_SYMBOLS[field] if has_setting else "")
        self.setting_label.setVisible(has_setting)
        self.setting.setVisible(has_setting)
        if has_setting:
            self.setting.show_value(choice.setting)
            self.setting.setToolTip(
                _(
                    "{symbol} of run {number}: {value}. Type another and press Enter: this run "
                    "starts again."
                ).format(
                    symbol=comparison.SETTING_SYMBOLS[field], number=n,
                    value=format_number(choice.setting),
                )
            )  # fmt: skip
        else:
            self.setting.setToolTip(_("This optimizer has no setting to choose here."))
        self.state.setAccessibleName(_("How run {number} is doing").format(number=n))

    # ----------------------------------------------------------------- the user's edits
    def _on_optimizer_chosen(self, item: int) -> None:
        if self._choice is not None:
            self.optimizer_chosen.emit(self.index, self.optimizer.itemData(item))

    def _on_rate_typed(self, value: float) -> None:
        if self._choice is not None:
            choice = self._choice
            self.edited.emit(self.index, RunChoice(choice.optimizer, float(value), choice.setting))

    def _on_setting_typed(self, value: float) -> None:
        if self._choice is not None and self._choice.setting is not None:
            choice = self._choice
            self.edited.emit(self.index, RunChoice(choice.optimizer, choice.learning_rate, value))
