"""The Problem's fields are the one source: lesson files, trace's options and the checks follow.

The last test adds a field (a momentum) the way a developer would, in a fresh process, and finds
it in a lesson's round trip and among trace's options without any other change.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import textwrap
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from gd_desktop.core import lesson, trace
from gd_desktop.core.engine import PROBLEM_FIELDS, Problem, ProblemError
from gd_desktop.core.presets import PRESETS

ROOT = Path(__file__).resolve().parents[2]

# A value other than the default for each field, all of them one valid problem together.
UNUSUAL = {
    "inputs": [[1.0, 2.0], [3.0, -1.0], [0.5, 4.0]],
    "targets": [1.0, 2.0, 3.0],
    "learning_rate": 0.25,
    "hidden_count": 2,
    "activation": "tanh",
    "batch_size": 2,
    "seed": 11,
    "optimizer": "adam",
    "momentum": 0.5,
    "alpha": 0.9,
    "beta1": 0.8,
    "beta2": 0.99,
    "epsilon": 1e-6,
    "schedule": "step",
    "step_size": 3,
    "gamma": 0.5,
}
# Every field is in lesson files (the optimizer's since format version 2).
LESSON_FIELDS = list(PROBLEM_FIELDS)
IN_LESSONS = {spec.name: UNUSUAL[spec.name] for spec in LESSON_FIELDS}
WEIGHTS = [0.5, -0.25, 0.1, 0.2, 0.3, -0.4]


def test_every_problem_field_is_described():
    """Each dataclass field of Problem has a description, a lesson key and a trace option."""
    assert [spec.name for spec in PROBLEM_FIELDS] == [item.name for item in fields(Problem)]
    assert set(UNUSUAL) == {spec.name for spec in PROBLEM_FIELDS}
    for spec in PROBLEM_FIELDS:
        assert spec.description and spec.lesson_key and spec.option.startswith("--")
        assert spec.required == (spec.default is None)
    for spec in LESSON_FIELDS:
        assert spec.lesson_key in lesson.FIELDS


def test_every_field_round_trips_through_a_lesson_file():
    """A lesson with no field at its default writes each one under its key and reads it back."""
    original = lesson.Lesson("t", "", WEIGHTS, **IN_LESSONS)
    document = lesson.from_json(lesson.to_json(original))
    assert document == original
    for spec in LESSON_FIELDS:
        assert np.asarray(getattr(document.problem, spec.name)).tolist() == UNUSUAL[spec.name]
        assert f'"{spec.lesson_key}": ' in lesson.to_json(original)


def test_every_field_has_a_trace_option_that_reaches_the_problem():
    """Each field's option is among trace's options, and the values given reach the problem."""
    options = {
        option for action in trace.build_parser()._actions for option in action.option_strings
    }
    assert {spec.option for spec in PROBLEM_FIELDS} <= options
    args = trace.build_parser().parse_args(
        shlex.split(
            "--weights 0.5 -0.25 --hidden 0.1,0.2 --hidden 0.3,-0.4 --activation tanh"
            " --inputs 1 2 --inputs 3 -1 --inputs 0.5 4 --target 1 2 3"
            " --learning-rate 0.25 --batch-size 2 --seed 11"
            " --optimizer adam --momentum 0.5 --alpha 0.9 --beta1 0.8 --beta2 0.99"
            " --epsilon 1e-6 --schedule step --step-size 3 --gamma 0.5"
        )
    )
    problem, weights = trace._problem_and_weights(args)
    assert weights == WEIGHTS
    for spec in PROBLEM_FIELDS:
        assert np.asarray(getattr(problem, spec.name)).tolist() == UNUSUAL[spec.name]


def test_fields_left_out_take_their_defaults_everywhere():
    """A lesson file without the optional fields, and trace without their options, get the
    Problem's defaults."""
    optional = [spec for spec in PROBLEM_FIELDS if not spec.required]
    made = Problem.create([3.0, 4.0], [6.0], 0.01)
    args = trace.build_parser().parse_args(
        shlex.split("--weights 1 2 --inputs 3 4 --target 6 --learning-rate 0.01")
    )
    from_trace, _weights = trace._problem_and_weights(args)
    for spec in optional:
        assert getattr(made, spec.name) == spec.default
        assert getattr(from_trace, spec.name) == spec.default
        assert getattr(PRESETS[0], spec.name) == spec.default


@pytest.mark.parametrize(
    "field_name, value, message",
    [
        ("hidden_count", 9, "A hidden layer has 1 to 8 nodes, not 9."),
        ("activation", "softmax", "Unknown activation 'softmax': choose one of identity, relu"),
        ("seed", -1, "The seed must be a whole number from 0 to 2,147,483,647, not -1."),
        ("learning_rate", -0.5, "The learning rate must be a number of 0 or more."),
    ],
)
def test_create_checks_by_the_field_limits_and_names_the_field(field_name, value, message):
    """A value outside a field's limits is refused with its sentence, naming the field."""
    good = Problem.create([3.0, 4.0], [6.0], 0.01)
    with pytest.raises(ProblemError) as raised:
        good.replaced(**{field_name: value})
    assert str(raised.value).startswith(message)
    assert raised.value.field == field_name


def test_presets_hold_their_problem_by_field_name():
    """A preset's problem values are keyed by field name and make a valid Problem."""
    for preset in PRESETS:
        assert list(preset.problem_values) == [spec.name for spec in PROBLEM_FIELDS]
        problem = preset.problem
        assert problem.weight_count == len(preset.weights)
    assert tuple(preset.id for preset in PRESETS) == lesson.SHIPPED


# A developer's new field: a momentum, declared once on (an extension of) Problem.
NEW_FIELD = textwrap.dedent(
    """
    from dataclasses import dataclass, field
    from gd_desktop.core import engine

    @dataclass(frozen=True)
    class WithMomentum(engine.Problem):
        momentum: float = field(default=0.0, metadata=engine.field_metadata(
            description="how much of the last step each step keeps",
            kind=engine.NUMBER, part=engine.DESCENT, expected="a number from 0 to 1",
            invalid="The momentum must be a number from 0 to 1.",
            option="--momentum", option_help="how much of the last step to keep",
            low=0, high=1,
        ))

        @classmethod
        def create(cls, *positional, **values):
            names = [spec.name for spec in engine.describe_fields(cls)]
            return cls.from_values({**dict(zip(names, positional)), **values})

    engine.Problem = WithMomentum
    engine.PROBLEM_FIELDS = engine.describe_fields(WithMomentum)

    from gd_desktop.core import lesson, trace

    assert lesson.FIELDS.index("momentum") == lesson.FIELDS.index("seed") + 1
    made = lesson.Lesson("t", "", [1.0, 2.0], inputs=[[3.0, 4.0]], targets=[6.0],
                         learning_rate=0.01, momentum=0.5)
    text = lesson.to_json(made)
    assert '"momentum": 0.5' in text, text
    again = lesson.from_json(text)
    assert again == made and again.momentum == 0.5 and again.warnings == ()
    old_file = text.replace('"momentum": 0.5,', "")
    assert lesson.from_json(old_file).momentum == 0.0  # a file from before opens with the default
    try:
        lesson.Lesson("t", "", [1.0, 2.0], inputs=[[3.0, 4.0]], targets=[6.0],
                      learning_rate=0.01, momentum=2.0)
    except lesson.LessonError as error:
        assert str(error) == '"momentum" should be a number from 0 to 1, not 2.0', error
    else:
        raise AssertionError("a momentum of 2 was accepted")

    parser = trace.build_parser()
    assert "--momentum" in parser.format_help()
    argv = "--weights 1 2 --inputs 3 4 --target 6 --learning-rate 0.01 --momentum 0.25"
    args = parser.parse_args(argv.split())
    problem, _weights = trace._problem_and_weights(args)
    assert problem.momentum == 0.25
    print("ok")
    """
)


def test_a_new_field_reaches_lessons_and_trace_without_other_changes():
    """Declaring one more Problem field is enough for lesson files and trace to carry it."""
    result = subprocess.run(
        [sys.executable, "-c", NEW_FIELD],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr
