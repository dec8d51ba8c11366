"""The session's slots and signals, without a window (qtbot only for the signals)."""

import numpy as np
import pytest

from gd_desktop.core.limits import SPEEDS
from gd_desktop.core.numbers import format_number
from gd_desktop.gui import session as session_module
from gd_desktop.gui.session import Session


@pytest.fixture
def session(qtbot):
    s = Session()
    yield s
    s.pause()


def test_step_emits_stepped_and_follows_the_slide(qtbot, session):
    """step() emits stepped once and gives the slide's updated weights."""
    with qtbot.waitSignal(session.stepped, timeout=1000):
        assert session.step()
    np.testing.assert_allclose(session.current.weights, [0.7, 1.6], rtol=1e-12)
    assert session.iteration == 1


def test_new_input_emits_problem_changed(qtbot, session):
    """Changing data is a new problem: problem_changed, and the history starts again."""
    session.step()
    with qtbot.waitSignal(session.problem_changed, timeout=1000):
        assert session.set_input(0, 2.0)
    assert session.iteration == 0
    np.testing.assert_allclose(session.problem.inputs, [[2.0, 4.0]])


def test_reset_emits_reset_done_with_the_typed_weights(qtbot, session):
    """reset() restores the typed weights (including hand-typed ones) and clears the history."""
    session.set_weight(0, 5.0)
    session.step()
    with qtbot.waitSignal(session.reset_done, timeout=1000):
        session.reset()
    np.testing.assert_array_equal(session.current.weights, [5.0, 2.0])
    assert len(session.history) == 1


def test_run_emits_running_changed_and_steps(qtbot, session):
    """run() starts the timer (running_changed True) and pause() stops it (False)."""
    session.set_speed_index(len(SPEEDS) - 2)
    session.set_learning_rate(0.0001)  # slow enough not to converge (and stop) during the test
    with qtbot.waitSignal(session.running_changed, timeout=1000) as blocker:
        session.run()
    assert blocker.args == [True]
    qtbot.waitUntil(lambda: session.iteration >= 3, timeout=3000)
    with qtbot.waitSignal(session.running_changed, timeout=1000) as blocker:
        session.pause()
    assert blocker.args == [False]


def test_full_speed_budget_is_what_drawing_leaves_of_a_frame(session):
    """The engine steps for the frame interval less the median drawing time and a margin,
    within its least and its largest share (drawing times between leave it in between)."""
    interval = session_module.FRAME_INTERVAL_MS / 1000
    margin = session_module.FRAME_MARGIN_SECONDS
    for _ in range(8):
        session.record_drawing(0.012)
    session.record_drawing(0.040)  # the text panels' dearer frame: one sample of nine
    assert session.step_budget == pytest.approx(interval - 0.012 - margin, abs=1e-12)
    for _ in range(9):  # drawing alone takes longer than a frame: the smallest share
        session.record_drawing(0.030)
    assert session.step_budget == session_module.MIN_STEP_SECONDS
    for _ in range(9):  # drawing is cheap: the engine gets its largest share, no more
        session.record_drawing(0.0005)
    assert session.step_budget == session_module.MAX_STEP_SECONDS
    assert session.step_budget < interval / 2  # the rest of the frame stays free
    for _ in range(9):
        session.record_drawing(0.0115)
    assert session.step_budget == pytest.approx(interval - 0.0115 - margin, abs=1e-12)


def test_full_speed_run_steps_many_times_a_frame(qtbot, session):
    """At full speed each frame takes many steps, and every frame's drawing is timed."""
    session.set_speed_index(len(SPEEDS) - 1)
    session.set_learning_rate(1e-6)  # neither converges nor diverges during the test
    frames = []
    session.stepped.connect(lambda: frames.append(session.iteration))
    session.run()
    qtbot.waitUntil(lambda: len(frames) >= 20, timeout=10_000)
    session.pause()
    assert np.median(np.diff(frames)) >= 10
    assert len(session._drawing_times) == session_module.DRAWING_SAMPLES
    # Without a window drawing costs next to nothing: the engine gets its largest share.
    assert session.step_budget > session_module.FULL_SPEED_BUDGET_SECONDS
    assert session.step_budget == session_module.MAX_STEP_SECONDS


@pytest.mark.parametrize("rate", [-0.1, float("nan"), float("inf")])
def test_bad_learning_rate_is_refused_in_words(qtbot, session, rate):
    """A negative or non-finite rate gets a message and changes nothing."""
    with qtbot.waitSignal(session.message, timeout=1000) as blocker:
        assert not session.set_learning_rate(rate)
    text, warning = blocker.args
    assert warning and "learning rate" in text.lower()
    assert session.problem.learning_rate == 0.01


def test_non_finite_weight_is_refused(qtbot, session):
    """A NaN weight never reaches the engine."""
    with qtbot.waitSignal(session.message, timeout=1000):
        assert not session.set_weight(0, float("nan"))
    np.testing.assert_array_equal(session.current.weights, [1.0, 2.0])


def test_too_many_inputs_is_refused(qtbot, session):
    """Nine inputs are more than the app offers: a message, nothing changed."""
    with qtbot.waitSignal(session.message, timeout=1000):
        assert not session.set_input_count(9)
    assert session.problem.weight_count == 2


def test_manual_steps_warn_when_the_loss_keeps_growing(qtbot, session):
    """Stepping by hand above the critical rate warns in plain words after a few steps."""
    session.set_learning_rate(0.05)
    messages = []
    session.message.connect(lambda text, warning: messages.append((text, warning)))
    for _ in range(4):
        session.step()
    assert any(warning and "learning rate is too big" in text for text, warning in messages)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2.24, "2.24"),
        (-24.0, "−24"),
        (2.4368000000000003, "2.4368"),
        (0.0, "0"),
        (1 / 9, "0.111111"),
        (1.5e-9, "1.5e−09"),
        (123456789.0, "1.2346e+08"),
    ],
)
def test_format_number_reads_like_a_teacher_writes(value, text):
    """Numbers are shown with up to six significant digits and a real minus sign."""
    assert format_number(value) == text


def test_set_fields_changes_any_field_by_name(qtbot):
    """A control for any problem field needs only set_fields: a new problem, a new history."""
    session = Session()
    session.step()
    with qtbot.waitSignal(session.problem_changed):
        assert session.set_fields(batch_size=1, seed=7)
    assert (session.problem.batch_size, session.problem.seed, session.iteration) == (0, 7, 0)
    assert not session.set_fields(seed=-1)  # refused with the field's own message
    assert session.problem.seed == 7


def test_a_run_is_fast_when_it_takes_more_steps_a_second_than_frames(session):
    """The plots move their views in larger steps only for a run faster than the frames."""
    session.set_learning_rate(1e-6)
    for speed_index, fast in ((SPEEDS.index(10), False), (len(SPEEDS) - 1, True)):
        session.set_speed_index(speed_index)
        assert not session.runs_fast  # not running
        session.run()
        assert session.runs_fast is fast
        session.pause()
