"""The course's examples as lesson files, made from gd_desktop/core/presets.py.

    python packaging/make_lessons.py           # (re)write resources/lessons/*.gdlesson
    python packaging/make_lessons.py --check   # exit 1 if the committed files are not up to date

One file per preset, named by the preset's id (``gd_desktop.core.lesson.SHIPPED``: the presets'
ids in the course's order). The files are committed and shipped as package data
(pyproject.toml) and in the bundle (build.spec copies all of resources/);
``gd_desktop.core.lesson.shipped_lessons()`` finds them. Run this after changing a preset, and
commit the result; tests/core/test_lesson.py checks they agree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "resources" / "lessons"
sys.path.insert(0, str(ROOT))

from gd_desktop.core.lesson import EXTENSION, SHIPPED, lesson_from_preset, save, to_json  # noqa: E402
from gd_desktop.core.presets import PRESETS  # noqa: E402


def lessons() -> dict[str, object]:
    """File name (the preset's id) → Lesson, in the course's order."""
    by_id = {preset.id: preset for preset in PRESETS}
    return {f"{stem}{EXTENSION}": lesson_from_preset(by_id[stem]) for stem in SHIPPED}


def stale(folder: Path = FOLDER) -> list[str]:
    """What differs between ``folder`` and the presets: files missing, out of date or extra."""
    wanted = {name: to_json(lesson) for name, lesson in lessons().items()}
    problems = []
    for name, text in wanted.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{name} is out of date")
    for path in sorted(folder.glob(f"*{EXTENSION}")):
        if path.name not in wanted:
            problems.append(f"{path.name} comes from no preset")
    return problems


def write(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, lesson in lessons().items():
        save(lesson, folder / name)
        written.append(folder / name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the committed files")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for problem in problems:
            print(f"make_lessons: {problem}", file=sys.stderr)
        if problems:
            print("make_lessons: run python packaging/make_lessons.py", file=sys.stderr)
        return 1 if problems else 0
    for path in write():
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
