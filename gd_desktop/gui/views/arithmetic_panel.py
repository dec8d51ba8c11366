"""The arithmetic panel: the slides' chain rule filled in with the numbers on view, and the quiz.

It reads the iteration on view from the session and writes out what the core's arithmetic makes
of it, when the renderer says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QTextBrowser,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from gd_desktop.core.arithmetic import (
    Line,
    Num,
    StepArithmetic,
    escape_html,
    line_html,
    line_text,
)
from gd_desktop.core.i18n import N_, _
from gd_desktop.core.iteration_arithmetic import (
    REVEAL_FACTOR,
    REVEAL_RATE,
    REVEAL_SLOPE,
    REVEAL_STATE,
    explain_iteration,
    reveal_steps,
)
from gd_desktop.gui.views.quiz import HIDE_SLOPE, QuizBar

if TYPE_CHECKING:
    from gd_desktop.gui.session import Session

HIGHLIGHT_BACKGROUND = "#FFF6BF"
# The arithmetic is what the room reads: clearly larger than the rest, larger still presenting.
TEXT_FACTOR = 1.25
PRESENTING_TEXT_FACTOR = 1.7
# What the next press of the clicker shows, after 0, 1, … lines of the slope are revealed.
# In English, marked for the catalog; translated where shown.
REVEAL_HINTS = (
    N_("Next (Page Down): ① the slope of the loss with respect to the node fed."),
    N_("Next (Page Down): ② the value of the node feeding the weight."),
    N_("Next (Page Down): ③ the slope of the activation."),
    N_("Next (Page Down): the slope, the product of the three factors."),
    N_("Next (Page Down): the update of the weight."),
    N_("Next (Page Down): take the step."),
)
# What the next press shows, by the kind of line (the optimizer's lines and the update).
NEXT_RATE = N_("Next (Page Down): the learning rate in force at this step.")
NEXT_STATE = N_("Next (Page Down): the optimizer's next number for this weight.")
NEXT_UPDATE = REVEAL_HINTS[4]
TAKE_THE_STEP = REVEAL_HINTS[5]
OTHER_WEIGHT = N_("{title}: slope {slope}; new {name} {update}")


def _hide_result(line: Line) -> Line:
    """The line with its final number replaced by a question mark."""
    return (*line[:-1], "?")


def _hide_numbers(line: Line) -> Line:
    """An optimizer's line with everything after its name hidden: its numbers hold the slope."""
    first = line[0] if line and isinstance(line[0], str) else ""
    return (first.split(" = ", 1)[0] + " = ", "?")


def _reveal_hint(kinds: tuple[str, ...], shown: int) -> str:
    """What the next press shows after ``shown`` of a weight's lines (``kinds``: each line's)."""
    if shown >= len(kinds):
        return _(TAKE_THE_STEP)
    kind = kinds[shown]
    if kind in (REVEAL_FACTOR, REVEAL_SLOPE):
        return _(REVEAL_HINTS[shown])
    if kind == REVEAL_RATE:
        return _(NEXT_RATE)
    if kind == REVEAL_STATE:
        return _(NEXT_STATE)
    return _(NEXT_UPDATE)


def _split_line(line: Line) -> tuple[str, Line, Line]:
    """A line's words (up to the last "=" before its first number), its numbers (from that
    "=" through the last number) and what follows them: the numbers are kept on one line."""
    numbers = [i for i, piece in enumerate(line) if not isinstance(piece, str)]
    if not numbers:
        return "".join(line), (), ()  # type: ignore[arg-type]
    first, last = numbers[0], numbers[-1]
    prefix = "".join(piece for piece in line[:first])  # type: ignore[misc]
    cut = prefix.rfind("= ")
    lead = prefix[cut:] if cut >= 0 else prefix
    if any(character.isalpha() for character in lead):
        # Words after the last "=" (a translation may put them there): they wrap as words, and
        # only the number keeps to the last of them.
        return prefix.rstrip(), ("", *line[first : last + 1]), line[last + 1 :]
    return prefix[:cut].rstrip(), (lead, *line[first : last + 1]), line[last + 1 :]


def _together_html(pieces: Line, breakable: bool = True) -> str:
    """Numbers and operators that wrap only after an operator or before an arrow: never
    before an "=", so a result stays with what it is the result of."""
    out = []
    for piece in pieces:
        if isinstance(piece, Num):
            out.append(line_html((piece,)))
        else:  # an operator between numbers, or an expression the core wrote (Math)
            text = escape_html(piece if isinstance(piece, str) else piece.text)
            text = text.replace(" ", "&nbsp;")
            if breakable:  # a line too long even for its own row wraps after an operator
                for operator in ("+", "−", "×", "/"):
                    text = text.replace(f"&nbsp;{operator}&nbsp;", f"&nbsp;{operator} ")
                text = text.replace("&nbsp;→", " →")
            out.append(text)
    return "".join(out)


class LineRoom:
    """How wide a line of the arithmetic may be, in pixels of its (bold) font."""

    def __init__(self, metrics: QFontMetrics | None = None, width: float = float("inf")):
        self._metrics = metrics
        self.width = width

    def fits(self, text: str) -> bool:
        return self._metrics is None or self._metrics.horizontalAdvance(text) <= self.width


def _words_html(words: str) -> str:
    """Words that wrap at their spaces, but keep a formula in them whole ("= 2 × error")."""
    html = escape_html(words)
    for operator in ("×", "−", "+"):
        html = html.replace(f" {operator} ", f"&nbsp;{operator}&nbsp;")
    return html.replace(" = ", " =&nbsp;")


def _glued_words(words: str) -> str:
    """The end of ``words`` that :func:`_words_html` keeps on one line with the numbers."""
    if not words:
        return ""
    for operator in ("×", "−", "+"):
        words = words.replace(f" {operator} ", f"\u00a0{operator}\u00a0")
    return words.replace(" = ", " =\u00a0").rsplit(" ", 1)[-1].replace("\u00a0", " ") + " "


def wrapped_html(line: Line, room: LineRoom | None = None) -> str:
    """A line as HTML that wraps only between its words and its numbers, or inside its
    words: the numbers stay whole (never "= 3" left alone on a line), unless they are too long
    for ``room`` even on a line of their own; then they wrap after an operator."""
    words, numbers, tail = _split_line(line)
    room = room or LineRoom()
    # A lone result ("= 2.5") stays with the word before it, not on a line of its own; an
    # expression the core wrote (an optimizer's step) counts as numbers, free to wrap.
    lone = sum(not isinstance(piece, str) for piece in numbers) == 1
    # The numbers wrap only if they do not fit a row together with the words glued to them
    # (a formula's last words, "rate × b1", keep to a lone result): else Qt would cut the run.
    glued = _glued_words(words) if lone else ""
    long_numbers = not room.fits(glued + line_text(numbers) + line_text(tail))
    html = _words_html(words)
    if numbers:
        html += ("&nbsp;" if lone else " ") if words else ""
        html += _together_html(numbers, long_numbers)
    return html + line_html(tail)


def _block(html: str) -> str:
    """One line of the arithmetic, a paragraph of its own."""
    return f"<p style='margin: 0'>{html}</p>"


def _section(title: str, lines, room: LineRoom) -> list[str]:
    """A section's lines, its bold title at the start of the first."""
    html = [wrapped_html(line, room) for line in lines]
    html[0] = f"<b>{escape_html(title)}</b> " + html[0]
    return [_block(line) for line in html]


# Wider than this (in widths of the letter M), the step's numbers and the highlighted weight's
# slope are written side by side: the arithmetic then fits the height of a projector's screen.
TWO_COLUMNS_FROM = 44
# Taller than this (in lines of its text), the view writes out each row's prediction and error
# even while the per-row terms are folded.
TALL_FROM = 30


class ArithmeticView(QTextBrowser):
    """Read-only rich text; hovering a number shows its exact value."""

    columns_changed = Signal()  # another width: other columns, other places to wrap

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("explanation")
        self.retranslate()
        self.setOpenLinks(False)
        # A scroll bar that comes and goes with each new text would re-lay the panel per step.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setOpenExternalLinks(False)
        self._text_factor = TEXT_FACTOR
        self._tall = False
        self.document().setDocumentMargin(2)  # the lines' room, not a frame's
        self._apply_font()
        self.highlighted.connect(self._on_hover)

    def retranslate(self) -> None:
        """What a screen reader calls it, in the language in use (the text is redrawn)."""
        self.setAccessibleName(_("The arithmetic of the step"))

    def set_text_factor(self, factor: float) -> None:
        """How much larger than the window's text the arithmetic is written."""
        self._text_factor = factor
        self._apply_font()
        self.columns_changed.emit()

    def _apply_font(self) -> None:
        # The document's font, not the widget's: the widget follows the window's text size
        # (Ctrl++), and the arithmetic keeps its proportion to it.
        font = QApplication.font()
        font.setPointSizeF(font.pointSizeF() * self._text_factor)
        self.document().setDefaultFont(font)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)  # QTextEdit gives the document the widget's font here
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._apply_font()
            self.columns_changed.emit()  # larger letters: the lines are wrapped again

    def scroll_to_top(self) -> None:
        self.verticalScrollBar().setValue(0)

    def line_rooms(self) -> tuple[LineRoom, LineRoom]:
        """The room for a line of the step's numbers and for one in the weight's block."""
        font = QFont(self.document().defaultFont())
        font.setBold(True)
        metrics = QFontMetrics(font)
        width = self.viewport().width() - 2 * self.document().documentMargin() - 4
        if self.two_columns():
            return LineRoom(metrics, 0.46 * width - 14), LineRoom(metrics, 0.54 * width - 24)
        return LineRoom(metrics, width), LineRoom(metrics, width - 24)

    def two_columns(self) -> bool:
        """Whether the view is wide enough for the arithmetic in two columns."""
        letter = QFontMetrics(self.document().defaultFont()).horizontalAdvance("M")
        return self.viewport().width() >= TWO_COLUMNS_FROM * letter

    def tall(self) -> bool:
        """Whether the view has room for each row's prediction and error as well as the step
        (TALL_FROM lines of the arithmetic's text)."""
        line = QFontMetrics(self.document().defaultFont()).lineSpacing()
        return self.viewport().height() >= TALL_FROM * line

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        tall, self._tall = self._tall, self.tall()
        if event.oldSize().width() != event.size().width() or tall != self._tall:
            # The lines are wrapped again for the new width; the per-row lines fold or unfold.
            self.columns_changed.emit()

    def _on_hover(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("value:"):
            QToolTip.showText(QCursor.pos(), _("exact value: {value}").format(value=text[6:]), self)
        else:
            QToolTip.hideText()

    def text(self) -> str:
        return self.toPlainText()


class ArithmeticPanel(QWidget):
    """Writes out the step on view; the quiz hides one answer until the student guesses."""

    #: A weight's line was clicked: show that weight in full (on the loss curve too).
    weight_chosen = Signal(int)

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self._session = session
        self.view = ArithmeticView()
        self.view.anchorClicked.connect(self._on_link)
        self.quiz = QuizBar(self.quiz_answer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.quiz)
        self.quiz.changed.connect(self._on_quiz_changed)
        self.quiz_changed = self.quiz.changed
        self.view.columns_changed.connect(self._render)
        self._arithmetic: StepArithmetic | None = None
        self._previous: list[Line] = []
        self._selected = 0
        self._heading = ""
        self._show_rows = False
        self._reveal: int | None = None  # lines of the slope shown presenting; None: all
        self._block_room = LineRoom()
        self._problem = session.problem
        self._highlight = HIGHLIGHT_BACKGROUND
        self._muted = "#555555"
        self.set_colours("#111111", HIGHLIGHT_BACKGROUND)

    def set_colours(self, ink: str, highlight: str) -> None:
        """Numbers in the theme's ink (they are links, for the exact value on hover) and the
        highlighted weight's block on a ground that the ink reads on."""
        self._highlight = highlight
        # The numeric check, quieter than the ink, on the highlight's ground as on the page's.
        ink_rgb, ground_rgb = QColor(ink).getRgb()[:3], QColor(highlight).getRgb()[:3]
        mixed = (round(0.65 * a + 0.35 * b) for a, b in zip(ink_rgb, ground_rgb))
        self._muted = QColor(*mixed).name()
        self.view.document().setDefaultStyleSheet(f"a {{ color: {ink}; text-decoration: none; }}")
        self._render()

    # ----------------------------------------------------------------- the quiz
    @property
    def quizzing(self) -> bool:
        return self.quiz.quizzing

    @property
    def hides_slope(self) -> bool:
        return self.quiz.hides_slope

    def follow_question(self, selected: int) -> None:
        """The question on view, before any view draws: a new one hides its answer again.

        What determines the answer: the weight asked about, the iteration and its weights, the
        rate, and the problem (its rows and batches).
        """
        session = self._session
        self.quiz.follow(
            (
                int(selected),
                session.shown_index,
                session.shown.weights.tobytes(),
                float(session.shown_problem.learning_rate),
                id(session.problem),
            )
        )

    def quiz_answer(self, hidden: str) -> tuple[float, float] | None:
        """The hidden number of the question on view, and its rounding noise."""
        if self._arithmetic is None:
            return None
        chosen = self._arithmetic.weights[self._selected]
        if hidden == HIDE_SLOPE:
            return chosen.slope, chosen.slope_noise
        return chosen.new_weight, chosen.new_weight_noise

    def _on_quiz_changed(self) -> None:
        self._render()

    # ----------------------------------------------------------------- presenting
    def set_presenting(self, on: bool) -> None:
        self.view.set_text_factor(PRESENTING_TEXT_FACTOR if on else TEXT_FACTOR)

    def set_reveal(self, shown: int | None) -> None:
        """Show the first ``shown`` lines of the highlighted weight's slope (None: all)."""
        self._reveal = shown
        self._render()

    def scroll_to_top(self) -> None:
        """A new lesson starts at its top, not where the last one was scrolled to."""
        self.view.scroll_to_top()

    # ----------------------------------------------------------------- rendering
    def refresh(self, selected: int) -> None:
        """Show the step about to be taken from the iteration on view, and the step just taken,
        ``selected`` weight highlighted.

        A different question (other numbers, or another weight) hides the quiz answer again.
        """
        session = self._session
        explained = explain_iteration(
            session.shown_problem, session.history, session.shown_index, session.shown, selected
        )
        step, previous, heading = explained.step, list(explained.just_taken), explained.heading
        self.follow_question(selected)
        self._problem = session.shown_problem
        self._arithmetic = step
        self._previous = previous
        self._selected = selected
        self._heading = heading
        self._render()

    def _on_link(self, url: QUrl) -> None:
        link = url.toString()
        if link == "toggle:rows":
            self._show_rows = not self._show_rows
            self._render()
        elif link.startswith("weight:"):
            self.weight_chosen.emit(int(link[7:]))

    def _render(self) -> None:
        step = self._arithmetic
        if step is None:
            return
        room, self._block_room = self.view.line_rooms()
        heading = f"<p style='margin: 0 0 2px 0'><b>{escape_html(self._heading)}</b></p>"
        numbers = []
        # Each section's name starts its first line: a line of height saved for the numbers.
        previous = self._previous
        if len(previous) == len(step.weights) > 2 and not self.view.tall():
            # Many weights on a low screen: the step just taken of the weight in full only
            # (every weight's is in the history table), so its next step stays in view.
            previous = [previous[self._selected]] if self._selected < len(previous) else []
        if previous:
            numbers += _section(_("The step just taken:"), previous, room)
        next_lines = (*step.prediction_lines, *step.error_lines, step.loss_line)
        if step.several_rows and not self._show_rows and not self.view.tall():
            # On a low screen each row's prediction and error fold under "show the per-row
            # terms", so the weight's factors and its update stay in view; the mean is kept.
            next_lines = (step.loss_line,)
        numbers += _section(_("The next step:"), next_lines, room)
        chosen = [w for w in step.weights if w.index == self._selected] or list(step.weights[:1])
        slopes = [self._weight_html(chosen[0], step.several_rows)]
        whole = len(reveal_steps(self._problem, chosen[0]))
        if self._reveal is None or self._reveal >= whole:
            for weight in step.weights:
                if weight is not chosen[0]:
                    slopes.append(self._other_weight_html(weight))
        if step.several_rows:
            label = _("hide the per-row terms") if self._show_rows else _("show the per-row terms")
            arrow = "▾" if self._show_rows else "▸"
            slopes.append(
                f"<p style='margin: 2px 0 0 0'><a href='toggle:rows'>{arrow} {label}</a></p>"
            )
        if self.view.two_columns():
            parts = [
                heading,
                "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
                "<td width='46%' style='padding-right: 12px'>",
                *numbers,
                "</td><td width='54%'>",
                *slopes,
                "</td></tr></table>",
            ]
        else:
            parts = [heading, *numbers, *slopes]
        scroll = self.view.verticalScrollBar().value()
        self.view.setHtml("".join(parts))
        self.view.verticalScrollBar().setValue(scroll)

    @staticmethod
    def _title(weight) -> str:
        if weight.name.startswith("w") and weight.name[1:].isdigit():
            return _("Weight {number}").format(number=weight.index + 1)
        return _("Weight {name}").format(name=weight.name)

    def _other_weight_html(self, weight) -> str:
        """A weight not highlighted, on one line: its slope and its update (a click on its
        name shows it in full)."""
        title = f"<a href='weight:{weight.index}'><b>{escape_html(self._title(weight))}</b></a>"
        _label, slope, said = _split_line(weight.slope_line)  # said: "this weight does not learn"
        slope = (slope[0].removeprefix("= "), *slope[1:])
        room = self.view.line_rooms()[0]
        update = _split_line(weight.update_line)[1]
        text = _(OTHER_WEIGHT).format(
            title=title,
            slope=_together_html(slope, not room.fits(line_text(slope))) + line_html(said),
            name=escape_html(weight.name),
            update=_together_html(update, not room.fits(line_text(update))),
        )
        return _block(text)

    def _weight_html(self, weight, several_rows: bool) -> str:
        selected = weight.index == self._selected
        hide_slope = selected and self.hides_slope
        hide_weight = selected and self.quizzing
        factors = reveal_steps(self._problem, weight)
        plain = REVEAL_STATE not in weight.optimizer_kinds  # plain steps, any schedule
        slope_line = _hide_result(weight.slope_line) if hide_slope else weight.slope_line
        update_line = _hide_result(weight.update_line) if hide_weight else weight.update_line
        if hide_slope and plain:
            update_line = (*update_line[:-3], "?", " = ?")
        elif hide_slope:  # the optimizer's step is made of the slope: none of its numbers shown
            update_line = _hide_numbers(update_line)
        room = self._block_room
        lines = [f"{factor.number} " + wrapped_html(factor.line, room) for factor in factors[:3]]
        lines.append("<b>" + wrapped_html(slope_line, room) + "</b>")
        for factor in factors[4:-1]:  # the rate in force, the optimizer's state
            line = factor.line
            if hide_slope and factor.kind == REVEAL_STATE:
                line = _hide_numbers(line)
            lines.append(wrapped_html(line, room))
        lines.append("<b>" + wrapped_html(update_line, room) + "</b>")
        count = len(factors)
        shown = count if self._reveal is None else max(0, min(self._reveal, count))
        lines = lines[:shown]
        if shown == count and not hide_slope:
            lines.append(
                f"<small style='color: {self._muted}'>"
                + wrapped_html(weight.check_line, room)
                + "</small>"
            )
        if several_rows and self._show_rows and shown == count:
            lines += ["&nbsp;&nbsp;" + wrapped_html(line, room) for line in weight.row_lines]
        if self._reveal is not None:
            hint = _reveal_hint(tuple(factor.kind for factor in factors), shown)
            lines.append(f"<span style='color: {self._muted}'><i>{escape_html(hint)}</i></span>")
        style = (
            f"background-color: {self._highlight}; border: 2px solid #B8A000" if selected else ""
        )
        title = self._title(weight)
        if selected:
            title = _("{weight} (on the loss curve)").format(weight=title)
        return (
            f"<table width='100%' cellspacing='0' cellpadding='3' style='{style}'><tr><td>"
            + _block(f"<b>{escape_html(title)}</b>")
            + "".join(_block(line) for line in lines)
            + "</td></tr></table>"
        )
