"""The optimizer and the learning-rate schedule in the editing panel: two lists and only the
settings the choice uses (docs/OPTIMIZERS.md).

Each control sends its value to ``session.set_fields``; a value the problem refuses is said in
words by the session and the box goes back to the value the problem holds.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QSpinBox, QWidget

from gd_desktop.core.comparison import OPTIMIZER_TITLES  # the names, said once
from gd_desktop.core.i18n import _, pgettext
from gd_desktop.core.limits import MAX_HISTORY
from gd_desktop.core.optimizers import OPTIMIZERS, SCHEDULE_SETTINGS, SCHEDULES
from gd_desktop.gui.session import Session
from gd_desktop.gui.views.widgets import NumberBox, signals_blocked


def schedule_titles() -> dict[str, str]:
    """The schedules' names by id, in the language in use (pgettext: a schedule's "step" is
    not a step taken)."""
    return {
        "constant": pgettext("learning-rate schedule", "constant rate"),
        "step": pgettext("learning-rate schedule", "step decay"),
        "exponential": pgettext("learning-rate schedule", "exponential decay"),
        "inverse-time": pgettext("learning-rate schedule", "inverse-time decay"),
    }


#: The number fields, in the order the grid shows them: (field, symbol).
OPTIMIZER_FIELDS = (
    ("momentum", "μ"),
    ("alpha", "α"),
    ("beta1", "β₁"),
    ("beta2", "β₂"),
    ("epsilon", "ε"),
)


class OptimizerControls(QWidget):
    """How the weights move on from the slope: the optimizer, its settings, the schedule."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self._session = session
        self.optimizer_combo = QComboBox()
        self.optimizer_combo.setObjectName("optimizer_combo")
        for name in OPTIMIZERS:  # shown by its title; read back by its id, the item data
            self.optimizer_combo.addItem("", name)
        self.optimizer_combo.activated.connect(self._on_optimizer_chosen)
        self.schedule_combo = QComboBox()
        self.schedule_combo.setObjectName("schedule_combo")
        for name in SCHEDULES:
            self.schedule_combo.addItem("", name)
        self.schedule_combo.activated.connect(self._on_schedule_chosen)

        self.boxes: dict[str, NumberBox] = {}
        self.symbols: dict[str, QLabel] = {}
        for field, symbol in (*OPTIMIZER_FIELDS, ("gamma", "γ")):
            box = NumberBox(0.0, 1.0 if field != "gamma" else 1e6, 0.01)
            box.setObjectName(f"{field}_box")
            box.setStepType(QSpinBox.StepType.AdaptiveDecimalStepType)
            box.valueChanged.connect(lambda value, field=field: self._on_edited(field, value))
            box.refused.connect(session.refuse_input)
            label = QLabel(symbol)
            label.setBuddy(box)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.boxes[field], self.symbols[field] = box, label
        self.step_size_box = QSpinBox()
        self.step_size_box.setObjectName("step_size_box")
        self.step_size_box.setRange(1, MAX_HISTORY)
        self.step_size_box.setKeyboardTracking(False)
        self.step_size_box.valueChanged.connect(
            lambda value: self._on_edited("step_size", int(value))
        )
        self.step_size_label = QLabel()
        self.step_size_label.setBuddy(self.step_size_box)
        self.step_size_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )

        self.captions = (QLabel(), QLabel())  # Optimizer, Schedule
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.retranslate()

    # ----------------------------------------------------------------- words
    def retranslate(self) -> None:
        """Titles, tooltips and accessible names in the language in use (items key on ids)."""
        self.captions[0].setText(_("Optimizer"))
        self.captions[1].setText(_("Schedule"))
        for index, name in enumerate(OPTIMIZERS):
            self.optimizer_combo.setItemText(index, _(OPTIMIZER_TITLES[name]))
        titles = schedule_titles()
        for index, name in enumerate(SCHEDULES):
            self.schedule_combo.setItemText(index, titles[name])
        self.step_size_label.setText(_("step size"))
        words = {
            self.optimizer_combo: (
                _("Optimizer"),
                _("How each step moves the weights along the slope (PyTorch's rules)"),
            ),
            self.schedule_combo: (
                _("Learning-rate schedule"),
                _("How the learning rate changes from step to step"),
            ),
            self.boxes["momentum"]: (
                _("Momentum μ"),
                _("How much of the last step momentum and Nesterov keep: from 0 to below 1"),
            ),
            self.boxes["alpha"]: (
                _("RMSProp's α"),
                _("How much of the mean squared slope RMSProp keeps: from 0 to below 1"),
            ),
            self.boxes["beta1"]: (
                _("Adam's β₁"),
                _("How much of the mean slope Adam keeps: from 0 to below 1"),
            ),
            self.boxes["beta2"]: (
                _("Adam's β₂"),
                _("How much of the mean squared slope Adam keeps: from 0 to below 1"),
            ),
            self.boxes["epsilon"]: (
                _("Epsilon ε"),
                _(
                    "Added below the fraction so it never divides by 0: above 0 "
                    "(1e−8; PyTorch's AdaGrad uses 1e−10)"
                ),
            ),
            self.boxes["gamma"]: (
                _("The schedule's γ"),
                _("The schedule's factor (step, exponential) or decay (inverse time): above 0"),
            ),
            self.step_size_box: (
                _("Steps between two cuts of the rate"),
                _("The step schedule multiplies the rate by γ every this many steps"),
            ),
        }
        for widget, (name, tip) in words.items():
            widget.setAccessibleName(name)
            widget.setToolTip(tip)
        self._tips = {field: box.toolTip() for field, box in self.boxes.items()}
        for field, label in self.symbols.items():
            label.setToolTip(self.boxes[field].toolTip())
        self.step_size_label.setToolTip(self.step_size_box.toolTip())
        for box in self.boxes.values():
            box.retranslate()
        self.show_problem()  # the tooltips' values, after the meanings

    # ----------------------------------------------------------------- what the problem holds
    def show_problem(self) -> None:
        """The problem's optimizer, schedule and settings; only the settings they use shown."""
        problem = self._session.problem
        with signals_blocked(self.optimizer_combo):
            self.optimizer_combo.setCurrentIndex(self.optimizer_combo.findData(problem.optimizer))
        with signals_blocked(self.schedule_combo):
            self.schedule_combo.setCurrentIndex(self.schedule_combo.findData(problem.schedule))
        for field, box in self.boxes.items():
            value = float(getattr(problem, field))
            box.show_value(value)
            # show_value writes the bare value as the tooltip: the setting's meaning stays too
            box.setToolTip(
                _("{meaning} (now {value})").format(meaning=self._tips[field], value=repr(value))
            )
        with signals_blocked(self.step_size_box):
            self.step_size_box.setValue(int(problem.step_size))
        used = set(OPTIMIZERS[problem.optimizer].settings)
        used |= set(SCHEDULE_SETTINGS[problem.schedule])
        self._place(used)

    def _place(self, used: set[str]) -> None:
        """The grid: each list on a row, its settings two to a row below it."""
        grid = self.grid
        row = 0
        grid.addWidget(self.captions[0], row, 0, 1, 2)
        grid.addWidget(self.optimizer_combo, row, 2, 1, 2)
        row += 1
        settings = [field for field, _symbol in OPTIMIZER_FIELDS if field in used]
        row = self._place_pairs(
            [(self.symbols[field], self.boxes[field]) for field in settings], row
        )
        grid.addWidget(self.captions[1], row, 0, 1, 2)
        grid.addWidget(self.schedule_combo, row, 2, 1, 2)
        row += 1
        pairs = []
        if "step_size" in used:
            pairs.append((self.step_size_label, self.step_size_box))
        if "gamma" in used:
            pairs.append((self.symbols["gamma"], self.boxes["gamma"]))
        self._place_pairs(pairs, row)
        every = [*self.boxes, "step_size"]
        for field in every:
            shown = field in used
            if field == "step_size":
                self.step_size_box.setVisible(shown)
                self.step_size_label.setVisible(shown)
            else:
                self.boxes[field].setVisible(shown)
                self.symbols[field].setVisible(shown)

    def _place_pairs(self, pairs, row: int) -> int:
        for position, (label, box) in enumerate(pairs):
            line, column = divmod(position, 2)
            self.grid.addWidget(label, row + line, 2 * column)
            self.grid.addWidget(box, row + line, 2 * column + 1)
        return row + (len(pairs) + 1) // 2

    # ----------------------------------------------------------------- edits
    def _on_optimizer_chosen(self, index: int) -> None:
        name = self.optimizer_combo.itemData(index)
        if name != self._session.problem.optimizer:
            self._session.set_fields(optimizer=name)
        self.show_problem()

    def _on_schedule_chosen(self, index: int) -> None:
        name = self.schedule_combo.itemData(index)
        if name != self._session.problem.schedule:
            self._session.set_fields(schedule=name)
        self.show_problem()

    def _on_edited(self, field: str, value) -> None:
        """A typed setting: the session takes it or says why not; either way the boxes then
        show what the problem holds (a refused value leaves the previous one)."""
        if value != getattr(self._session.problem, field):
            self._session.set_fields(**{field: value})
        self.show_problem()
