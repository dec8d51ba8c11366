"""Two of the README's promises, "What it promises": no network, and no code run from a lesson.

Both are checked twice: statically (no module of the package imports a network library or a way
of running text as code) and at run time (an audit hook records every socket, subprocess and
compile or exec event while the app does its work: the self-test drives the real window through
the course, trace runs, and hostile lessons are opened).
"""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys
import textwrap
import tokenize
from pathlib import Path

import pytest

from gd_desktop.core import lesson
from gd_desktop.core.lesson import LessonError

PACKAGE = Path(__file__).resolve().parents[2] / "gd_desktop"
NETWORK_MODULES = {
    "socket", "ssl", "http", "urllib", "ftplib", "smtplib", "xmlrpc", "asyncio", "requests",
    "PySide6.QtNetwork", "PySide6.QtWebEngineCore", "PySide6.QtWebSockets",
}  # fmt: skip
CODE_RUNNERS = {"eval", "exec", "compile", "__import__"}
UNSAFE_LOADERS = {"pickle", "marshal", "shelve", "yaml", "dill"}
# The one module that writes Python source: the fast loop, from checked finite numbers only
# (test_the_written_out_loop_holds_only_numbers_and_its_own_names checks what it writes).
WRITES_ITS_OWN_CODE = PACKAGE / "core" / "unrolled.py"


def _imports_and_calls(path: Path) -> tuple[set[str], set[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    imported, called = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            called.add(node.func.id)
    return imported, called


def _top(names: set[str]) -> set[str]:
    return names | {name.split(".")[0] for name in names}


def test_no_module_imports_a_network_library_or_runs_text_as_code():
    """Every .py file of the package, read as source: no network import, no eval/exec, no
    loader that runs code (pickle and its kind)."""
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 30  # the scan reaches the whole package
    for path in files:
        imported, called = _imports_and_calls(path)
        assert not (_top(imported) & NETWORK_MODULES), f"{path}: a network import"
        assert not (_top(imported) & UNSAFE_LOADERS), f"{path}: a loader that runs code"
        if path != WRITES_ITS_OWN_CODE:
            assert not (called & CODE_RUNNERS), f"{path}: runs text as code"


def test_the_scan_finds_what_it_looks_for(tmp_path):
    """The static check can fail: a file with each forbidden thing is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("import socket\nfrom urllib.request import urlopen\nimport pickle\neval('1')\n")
    imported, called = _imports_and_calls(bad)
    assert _top(imported) & NETWORK_MODULES == {"socket", "urllib"}
    assert _top(imported) & UNSAFE_LOADERS == {"pickle"}
    assert called & CODE_RUNNERS == {"eval"}


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_the_written_out_loop_holds_only_numbers_and_its_own_names(optimizer):
    """The fast loop's source, for data of every shape a number can take: its tokens are
    numbers, operators and the loop's own names, so no lesson text can reach it."""
    from gd_desktop.core.optimizers import Settings
    from gd_desktop.core.unrolled import loop_source

    rows = [[3.0, -4.5e-300], [1e308, 0.1], [-0.0, 5e-324]]
    source = loop_source(rows, [6.0, -1e-7, 2.5], optimizer, Settings(0.9, 0.99, 0.9, 0.999, 1e-8),
                         scheduled=True)  # fmt: skip
    allowed = re.compile(
        r"(def|loop|for|in|range|return|if|else|steps|w|g|buffers|t|rate|rate_at|records|keep|loss"
        r"|sqrt|extend|_|c1|c2|[wgebdsmv]\d+)$"
    )
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NAME:
            assert allowed.match(token.string), token.string
        else:
            assert token.type in (
                tokenize.NUMBER, tokenize.OP, tokenize.NEWLINE, tokenize.NL, tokenize.INDENT,
                tokenize.DEDENT, tokenize.ENDMARKER,
            ), token  # fmt: skip


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "__import__('os')"])
def test_the_written_out_loop_refuses_what_is_no_finite_number(bad):
    from gd_desktop.core.optimizers import Settings
    from gd_desktop.core.unrolled import loop_source

    with pytest.raises(ValueError):
        loop_source([[bad]], [1.0], "gd", Settings(0.9, 0.99, 0.9, 0.999, 1e-8), scheduled=False)


OWN_LOOP = "<the stepping loop for "

WATCHED = textwrap.dedent(
    """
    import os, sys
    seen = []
    WATCH = ("socket.", "subprocess.", "os.system", "os.exec", "os.spawn", "os.posix_spawn",
             "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.")
    def hook(event, args):
        if event.startswith(WATCH):
            seen.append(event)
    sys.addaudithook(hook)
    from gd_desktop.app import main
    status = main(sys.argv[1:])
    out = os.environ["GD_AUDIT_OUT"]
    with open(out, "w") as f:
        f.write("\\n".join(seen))
    sys.exit(status)
    """
)


@pytest.mark.parametrize(
    "arguments",
    [
        ["--self-test"],
        ["trace", "--inputs", "3", "4", "--target", "6", "--weights", "1", "2",
         "--learning-rate", "0.01", "--steps", "100", "--format", "json"],
    ],
    ids=["self-test (the window)", "trace"],
)  # fmt: skip
def test_the_app_opens_no_socket_and_starts_no_program(tmp_path, arguments):
    """The window (driven through the course by --self-test) and trace, with every socket and
    subprocess event recorded by an audit hook: none."""
    out = tmp_path / "events.txt"
    env = {
        **__import__("os").environ,
        "GD_AUDIT_OUT": str(out),
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PYTHONPATH": str(PACKAGE.parent),
    }
    result = subprocess.run(
        [sys.executable, "-c", WATCHED, *arguments],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if result.returncode != 0 and "PySide6" in result.stderr and "No module" in result.stderr:
        pytest.skip("the window needs Qt, which this venv does not have")
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_text() == ""  # no socket, no subprocess, no browser


HOSTILE_VALUES = [
    "__import__('os').system('touch pwned')",
    "exec(open('x').read())",
    "{{7*7}}",
    "${7*7}",
    "!!python/object/apply:os.system ['touch pwned']",
]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
@pytest.mark.parametrize("key", ["title", "notes", "learning_rate", "activation", "inputs"])
def test_a_lesson_is_data_never_code(tmp_path, monkeypatch, key, value):
    """Code in any field of a lesson is a string to show or a value to refuse: nothing runs
    (an audit hook sees no compile, exec, subprocess or os.system while it is read)."""
    monkeypatch.chdir(tmp_path)
    document = {
        "format": "gd-desktop lesson",
        "version": 1,
        "title": "t",
        "inputs": [[3]],
        "targets": [10],
        "weights": [2],
        "learning_rate": 0.01,
    }
    document[key] = value
    path = tmp_path / "hostile.gdlesson"
    path.write_text(json.dumps(document), encoding="utf-8")
    lesson.load(Path(__file__).resolve().parents[2] / "resources/lessons/slide-one-weight.gdlesson")
    events: list[str] = []  # (the load above made the modules it imports: their dataclasses'
    watching = True  # code is Python's own, not the lesson's)

    def hook(event, args):
        if watching and event in ("exec", "compile", "subprocess.Popen", "os.system"):
            if event == "exec" and getattr(args[0], "co_filename", "").startswith(OWN_LOOP):
                return  # the engine's own fast loop (its source holds only checked numbers)
            if event == "compile" and str(args[1]).startswith(OWN_LOOP):
                return
            events.append(event)

    sys.addaudithook(hook)  # audit hooks cannot be removed: the flag ends this one's watch
    try:
        try:
            opened = lesson.load(path)
        except LessonError as refused:
            assert "Traceback" not in str(refused)
        else:
            assert key in ("title", "notes")
            shown = opened.title if key == "title" else opened.notes
            assert shown == value  # kept as text, to show
    finally:
        watching = False
    assert events == []
    assert not (tmp_path / "pwned").exists()
