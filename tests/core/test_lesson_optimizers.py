"""Lesson files carry the optimizer, its settings and the schedule (format version 2), and a
saved run reopens so exactly that it goes on bit for bit as if it had never been saved."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_desktop.core import lesson, optimizers
from gd_desktop.core.engine import Problem
from gd_desktop.core.lesson import Lesson, LessonError
from gd_desktop.core.run import Run

OPTIMIZERS = tuple(optimizers.OPTIMIZERS)
SCHEDULES = tuple(optimizers.SCHEDULES)
# Every setting away from its default, so that a field lost on the way would show.
SETTINGS = {
    "momentum": 0.75,
    "alpha": 0.9,
    "beta1": 0.8,
    "beta2": 0.99,
    "epsilon": 1e-6,
    "step_size": 3,
    "gamma": 0.5,
}
TWO_ROWS = {"inputs": [[3.0, 4.0], [1.0, -2.0]], "targets": [6.0, 1.0], "learning_rate": 0.01}


def v1_document(**changes) -> dict:
    """A version-1 file, as gd-desktop 0.1 wrote it: the slides' second example."""
    document = {
        "format": "gd-desktop-lesson",
        "version": 1,
        "inputs": [[3.0, 4.0]],
        "targets": [6.0],
        "weights": [1.0, 2.0],
        "learning_rate": 0.01,
    }
    document.update(changes)
    return document


def v2_document(**changes) -> dict:
    return v1_document(version=2, **changes)


@pytest.mark.parametrize("schedule", SCHEDULES)
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizer_and_schedule_saves_and_reads_back(tmp_path, optimizer, schedule):
    """save() reads the file back and must find the same lesson: it does for every optimizer
    with every schedule, their settings and a run included."""
    problem = Problem.create(**TWO_ROWS, optimizer=optimizer, schedule=schedule, **SETTINGS)
    run = Run(problem, [1.0, 2.0])
    run.advance(7)
    original = Lesson(
        "t", "", [1.0, 2.0], problem=problem, history=run.history.weights,
        history_rates=run.history.base_rates,
    )  # fmt: skip
    path = tmp_path / f"{optimizer}-{schedule}.gdlesson"
    lesson.save(original, path)  # raises if the read-back differs
    reopened = lesson.load(path)
    assert reopened == original and reopened.warnings == ()
    assert reopened.problem.optimizer == optimizer and reopened.problem.schedule == schedule
    for name, value in SETTINGS.items():
        assert getattr(reopened.problem, name) == value
    document = json.loads(path.read_text("utf-8"))
    assert document["version"] == 2
    assert document["optimizer"] == optimizer and document["schedule"] == schedule


def test_a_plain_lesson_writes_only_the_optimizer_and_the_schedule():
    """Plain steps at a constant rate read no setting: the file gains two lines, no more."""
    text = lesson.to_json(Lesson("t", "", [1.0, 2.0], **TWO_ROWS))
    document = json.loads(text)
    assert (document["optimizer"], document["schedule"]) == ("gd", "constant")
    assert not {"momentum", "alpha", "beta1", "beta2", "epsilon", "step_size", "gamma"} & set(
        document
    )


def test_adam_writes_its_own_settings_and_a_changed_one_of_another():
    """An optimizer's settings are written, and so is another's that is not at its default."""
    made = Lesson("t", "", [1.0, 2.0], **TWO_ROWS, optimizer="adam", momentum=0.5)
    document = json.loads(lesson.to_json(made))
    assert {"beta1", "beta2", "epsilon", "momentum"} <= set(document)
    assert "alpha" not in document and "gamma" not in document
    assert lesson.from_json(lesson.to_json(made)) == made


finite_fraction = st.floats(0.0, 1.0, exclude_max=True, allow_subnormal=False)


@settings(max_examples=60, deadline=None)
@given(
    optimizer=st.sampled_from(OPTIMIZERS),
    schedule=st.sampled_from(SCHEDULES),
    momentum=finite_fraction,
    alpha=finite_fraction,
    beta1=finite_fraction,
    beta2=finite_fraction,
    epsilon=st.floats(1e-300, 1e10, allow_subnormal=False),
    step_size=st.integers(1, 1_000_000),
    gamma=st.floats(1e-300, 1e10, allow_subnormal=False),
)
def test_any_valid_settings_round_trip_exactly(optimizer, schedule, **values):
    """Whatever the settings (within their limits), the text gives back the same numbers."""
    made = Lesson("t", "", [1.0, 2.0], **TWO_ROWS, optimizer=optimizer, schedule=schedule, **values)
    again = lesson.from_json(lesson.to_json(made))
    assert again == made
    assert again.problem.field_values().keys() == made.problem.field_values().keys()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"momentum": 1}, '"momentum" should be a number from 0 to below 1, not 1.0'),
        ({"momentum": -0.1}, '"momentum" should be a number from 0 to below 1, not -0.1'),
        ({"beta2": 1.0}, '"beta2" should be a number from 0 to below 1, not 1.0'),
        ({"alpha": 1.5}, '"alpha" should be a number from 0 to below 1, not 1.5'),
        ({"epsilon": 0}, '"epsilon" should be a number above 0, not 0.0'),
        ({"gamma": 0.0}, '"gamma" should be a number above 0, not 0.0'),
        ({"step_size": 0}, '"step_size" should be a whole number from 1 to 1,000,000, not 0'),
        ({"momentum": "high"}, '"momentum" should be a number, not the text "high"'),
        ({"momentum": True}, '"momentum" should be a number, not true'),
        (
            {"optimizer": "lbfgs"},
            '"optimizer" should be one of "gd", "momentum", "nesterov", "adagrad", "rmsprop", '
            '"adam"',
        ),
        ({"optimizer": 3}, '"optimizer" should be one of "gd", "momentum"'),
        (
            {"schedule": "cosine"},
            '"schedule" should be one of "constant", "step", "exponential", "inverse-time"',
        ),
    ],
    ids=lambda item: json.dumps(item) if isinstance(item, dict) else "",
)
def test_hostile_optimizer_settings_are_refused_naming_the_field(changes, message):
    """μ = 1, ε = 0, an unknown optimizer…: a sentence naming the field, no traceback."""
    with pytest.raises(LessonError) as caught:
        lesson.from_json(json.dumps(v2_document(**changes)))
    assert str(caught.value).startswith(message)
    assert "Traceback" not in str(caught.value)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"history_rates": [0.01]}, '"history_rates" should have one number per iteration'),
        ({"history_rates": [0.01, -1.0]}, '"history_rates" should hold learning rates of 0'),
        ({"history_rates": [0.01, "x"]}, '"history_rates" should be a list of numbers: item 2'),
        ({"history_rates": 0.01}, '"history_rates" should be a list of numbers, not the number'),
        ({"history_moved": [2]}, '"history_moved" should be a whole number from 1 to 1, not 2'),
        ({"history_moved": [0]}, '"history_moved" should be a whole number from 1 to 1'),
        ({"history_moved": [1, 1]}, '"history_moved" should list iterations from 1 to 1'),
        ({"history_moved": "1"}, '"history_moved" should be a list of iteration numbers'),
    ],
)
def test_bad_run_records_are_refused_in_words(changes, message):
    """A run's rates and moves by hand are checked like every other field."""
    document = v2_document(history=[[1.0, 2.0], [0.7, 1.6]], **changes)
    with pytest.raises(LessonError) as caught:
        lesson.from_json(json.dumps(document))
    assert str(caught.value).startswith(message)


def test_a_version_1_file_opens_with_plain_steps_and_ignores_the_new_keys():
    """Version 1 knew no optimizer: such a key in an old file is an unknown field, said so."""
    old = lesson.from_json(json.dumps(v1_document(optimizer="adam", history=[[1.0, 2.0]])))
    assert old.problem.optimizer == "gd" and old.problem.schedule == "constant"
    assert old.problem.momentum == optimizers.DEFAULT_MOMENTUM
    assert old.warnings == ('ignored the unknown field "optimizer"',)
    assert old.history_rates.tolist() == [0.01] and old.history_moved == ()
    assert old.run(1).evaluations[1].weights.tolist() == [0.7, 1.6]  # the slides' step


def test_a_version_2_file_without_settings_gets_the_defaults():
    """Every optimizer field is optional: a hand-written file names only what it changes."""
    written = lesson.from_json(json.dumps(v2_document(optimizer="momentum")))
    assert written.problem.optimizer == "momentum"
    assert written.problem.momentum == 0.9 and written.problem.schedule == "constant"
    assert written.warnings == ()


def test_the_newest_version_and_a_newer_one():
    """This reader writes version 2 and refuses 3 in words."""
    assert lesson.VERSION == 2
    with pytest.raises(LessonError, match=r"^made by a newer gd-desktop \(format version 3; this"):
        lesson.from_json(json.dumps(v1_document(version=3, optimizer="lion")))


def _history_arrays(history) -> dict:
    return {
        "weights": history.weights,
        "gradients": history.gradients,
        "losses": history.losses,
        "errors": history.errors,
        "learning_rates": history.learning_rates,
        "base_rates": history.base_rates,
        "moved_by_hand": history.moved_by_hand,
        "optimizer_steps": history.optimizer_steps,
        "optimizer_buffers": history.optimizer_buffers,
    }


def _assert_same_bits(mine, theirs) -> None:
    for name, array in _history_arrays(mine).items():
        other = _history_arrays(theirs)[name]
        assert array.shape == other.shape, name
        assert array.tobytes() == other.tobytes(), name  # bit for bit, -0.0 and all


def _busy_run(problem: Problem) -> Run:
    """A run as a teacher makes one: steps, a look back and a new rate from there (the later
    steps dropped), another rate part way, a weight moved by hand."""
    run = Run(problem, [1.0, 2.0])
    run.advance(12, halt_when_diverging=False)
    run.show_iteration(5)
    run.set_learning_rate(problem.learning_rate * 1.5)
    run.advance(9, halt_when_diverging=False)
    run.set_learning_rate(problem.learning_rate / 2)
    run.advance(6, halt_when_diverging=False)
    run.set_weight(0, 0.25)
    run.advance(8, halt_when_diverging=False)
    return run


@pytest.mark.parametrize("schedule", ["constant", "step", "inverse-time"])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_a_reopened_run_goes_on_bit_for_bit(optimizer, schedule):
    """Save a run with its rate changes and a move by hand, reopen it, and step on: every
    number of the history (weights, rates, the optimizer's step count and buffers) is the
    same bits as in the run that never closed."""
    problem = Problem.create(**TWO_ROWS, optimizer=optimizer, schedule=schedule, step_size=4)
    original = _busy_run(problem)
    saved = Lesson(
        "t", "", original.typed_weights, problem=original.problem,
        history=original.history.weights, history_rates=original.history.base_rates,
        history_moved=np.flatnonzero(original.history.moved_by_hand),
    )  # fmt: skip
    reopened_lesson = lesson.from_json(lesson.to_json(saved))
    reopened = Run(reopened_lesson.problem, reopened_lesson.weights)
    reopened.load(
        reopened_lesson.problem, reopened_lesson.weights, reopened_lesson.history,
        reopened_lesson.history_rates, reopened_lesson.history_moved,
    )  # fmt: skip
    _assert_same_bits(original.history, reopened.history)
    assert reopened.history.moved_by_hand.sum() == 1
    original.advance(30, halt_when_diverging=False)
    reopened.advance(30, halt_when_diverging=False)
    _assert_same_bits(original.history, reopened.history)
    assert reopened.next_weights.tobytes() == original.next_weights.tobytes()


def test_without_its_rates_a_reopened_momentum_run_would_not_go_on_the_same():
    """The rates saved are what makes it exact: replayed at the last rate only, a run whose
    rate changed loses its momentum where the rate changed (the test above could not fail)."""
    problem = Problem.create(**TWO_ROWS, optimizer="momentum")
    original = _busy_run(problem)
    guessed = Run(problem, [1.0, 2.0])
    guessed.load(original.problem, original.typed_weights, original.history.weights)
    assert guessed.history.optimizer_buffers.tobytes() != (
        original.history.optimizer_buffers.tobytes()
    )
