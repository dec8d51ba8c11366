"""Check that a built bundle runs on Ubuntu 22.04: no ELF file in it may need a newer glibc.

    python packaging/check_glibc.py dist/gd-desktop      # a folder, or one file

Reads the version needs (``.gnu.version_r``) of every ELF file with ``readelf -V`` (binutils) and
fails, naming each file, when one needs a ``GLIBC_`` symbol version above 2.35 or a ``GLIBCXX_``
above 3.4.30: what Ubuntu 22.04 LTS ships (glibc 2.35, GCC 12's libstdc++), and so Linux Mint 21
and everything newer. Prints the floor it found (the newest version any file needs) either way.
Exit status 0 when within the limits, 1 when not, 2 when it cannot check.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Ubuntu 22.04 LTS: glibc 2.35, libstdc++ of GCC 12 (GLIBCXX_3.4.30).
LIMITS = {"GLIBC": (2, 35), "GLIBCXX": (3, 4, 30)}
_NEED = re.compile(r"Name:\s+(GLIBCXX|GLIBC)_(\d+(?:\.\d+)+)\b")


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def version_text(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def needed_versions(readelf_output: str) -> dict[str, set[tuple[int, ...]]]:
    """The GLIBC and GLIBCXX versions in the "Version needs" part of ``readelf -V`` output.

    Only needs count: a library's own definitions (its ``.gnu.version_d``) ask nothing of the
    system.
    """
    found: dict[str, set[tuple[int, ...]]] = {"GLIBC": set(), "GLIBCXX": set()}
    in_needs = False
    for line in readelf_output.splitlines():
        if line.startswith("Version needs section"):
            in_needs = True
        elif line.startswith(("Version definition section", "Version symbols section")):
            in_needs = False
        elif in_needs:
            for family, version in _NEED.findall(line):
                found[family].add(version_tuple(version))
    return found


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"\x7fELF"
    except OSError:
        return False


def elf_files(target: Path) -> list[Path]:
    """The ELF files at ``target``: itself if it is a file, else every one below it (no links)."""
    if target.is_file():
        return [target] if is_elf(target) else []
    return sorted(
        path
        for path in target.rglob("*")
        if path.is_file() and not path.is_symlink() and is_elf(path)
    )


@dataclass
class Report:
    checked: int = 0
    floor: dict[str, tuple[int, ...]] = field(default_factory=dict)  # newest need per family
    too_new: list[str] = field(default_factory=list)  # one line per file over a limit

    @property
    def ok(self) -> bool:
        return self.checked > 0 and not self.too_new


def check(target: Path) -> Report:
    report = Report()
    for path in elf_files(target):
        result = subprocess.run(
            ["readelf", "-V", "-W", str(path)], capture_output=True, text=True, check=False
        )
        report.checked += 1
        for family, versions in needed_versions(result.stdout).items():
            if not versions:
                continue
            newest = max(versions)
            report.floor[family] = max(report.floor.get(family, newest), newest)
            if newest > LIMITS[family]:
                report.too_new.append(
                    f"{path}: needs {family}_{version_text(newest)}, above "
                    f"{family}_{version_text(LIMITS[family])}"
                )
    return report


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: check_glibc.py BUNDLE_FOLDER_OR_FILE", file=sys.stderr)
        return 2
    target = Path(argv[0])
    if not target.exists():
        print(f"check_glibc.py: error: {target} does not exist", file=sys.stderr)
        return 2
    try:
        report = check(target)
    except FileNotFoundError:
        print("check_glibc.py: error: no readelf (apt-get install binutils)", file=sys.stderr)
        return 2
    if report.checked == 0:
        print(f"check_glibc.py: error: no ELF file in {target}", file=sys.stderr)
        return 2
    floor = ", ".join(f"{family}_{version_text(v)}" for family, v in sorted(report.floor.items()))
    print(f"check_glibc.py: {report.checked} ELF files; the newest versions needed: {floor}")
    for line in report.too_new:
        print(f"check_glibc.py: too new for Ubuntu 22.04: {line}", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
