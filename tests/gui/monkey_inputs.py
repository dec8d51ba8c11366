"""What the monkey (tests/gui/monkey.py) types, pastes and opens, and how it checks that nothing
under the project was written: hostile inputs and files, the tree's state, the lessons' hashes."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from PySide6.QtCore import Qt

ROOT = Path(__file__).resolve().parents[2]

HOSTILE_TEXT = (
    "", "-", "+", ".", "e", "1e308", "-1e308", "1e309", "nan", "NaN", "inf", "-inf", "∞",
    "5" * 5000, "0", "-0", "1e-320", "3", "-2.5", "0.01", "100", "abc", "1,5", " 7 ", "١٢",
)  # fmt: skip
PASTED_ROWS = (
    "1e308,1e308\n", "1e308\t-1e308\t1e308\n", "3,4,6\n", "0,0,0\n-1,2,3\n", "x,y\n",
    "1,2\n" * 50, "nan,1\n", "", "1;2;3\n", "\ufeff3,4,6\n",
)  # fmt: skip
KEYS = (
    Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp,
    Qt.Key.Key_P, Qt.Key.Key_R, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_5, Qt.Key.Key_8,
    Qt.Key.Key_Period, Qt.Key.Key_Minus, Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Tab,
    Qt.Key.Key_Z, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Delete,
)  # fmt: skip
# A non-finite number as Python writes it, standing alone: not the "NaN" of a sentence about it,
# nor the user's own text quoted back ("'nan' is not a number"). The app writes what is no number
# as numbers.NOT_A_NUMBER_WORDS ("too large", "undefined"), which this accepts.
NON_FINITE = re.compile(r"(?<![A-Za-z'‘\"“])(nan|inf)(?![A-Za-z'’\"”])")


def hostile_files(folder: Path) -> list[Path]:
    """Files a teacher might be handed: damaged lessons and data sets, special files."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "huge-integer.gdlesson": '{"format": "gd-desktop-lesson", "version": 1, "inputs": [[3]], '
        '"targets": [' + "9" * 5000 + '], "weights": [2], "learning_rate": 0.01}',
        "not-json.gdlesson": "this is not a lesson",
        "empty.gdlesson": "",
        "surrogate.gdlesson": '{"format": "gd-desktop-lesson", "version": 1, "title": "\\ud800", '
        '"inputs": [[3]], "targets": [10], "weights": [2], "learning_rate": 0.01}',
        "big-numbers.csv": "x,y\n1e308,1e308\n-1e308,1e308\n",
        "good.csv": "x1,x2,y\n3,4,6\n1,2,3\n",
        "bad-cell.csv": "x,y\n1,2\n3,zz\n",
        "long-cell.csv": "x,y\n" + "7" * 200_000 + ",1\n",
        "empty.csv": "",
    }
    paths = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        paths.append(path)
    utf16 = folder / "utf16.csv"
    utf16.write_bytes("x,y\n3,6\n".encode("utf-16"))
    latin1 = folder / "latin1.csv"
    latin1.write_bytes("größe,y\n3,6\n".encode("latin-1"))
    paths += [utf16, latin1, folder]  # a folder where a file is expected
    fifo = folder / "pipe.gdlesson"
    if hasattr(os, "mkfifo") and not fifo.exists():
        os.mkfifo(fifo)
    if fifo.exists():
        paths.append(fifo)
    return paths


def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under the project (size and modification time), caches and venvs left out."""
    skipped = {".git", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache", "build"}
    state = {}
    for folder, names, files in os.walk(root):
        names[:] = [n for n in names if n not in skipped and not n.startswith(".venv")]
        for name in files:
            path = Path(folder) / name
            try:
                info = path.lstat()
            except OSError:
                continue
            state[str(path.relative_to(root))] = (info.st_size, info.st_mtime_ns)
    return state


def lesson_hashes(root: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((root / "resources" / "lessons").glob("*"))
    }
