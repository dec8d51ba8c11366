"""How the desktop sees gd-desktop: its icon, its menu entry and its lesson file type.

The files live in the repository's ``resources/`` folder, which is installed as the package data
``gd_desktop/resources/`` (pyproject.toml) and copied to the same place in the PyInstaller bundle
(build.spec); :func:`resources_dir` finds them in all three.

``gd-desktop --install-desktop-entry`` is for people who installed with pip: it puts the desktop
entry, the icons and the lesson MIME type under ``~/.local/share`` (``$XDG_DATA_HOME``), with
``Exec=`` pointing at the very command that ran it, so the menu entry starts this installation.
The .deb (packaging/build_deb.sh) installs the same files system-wide instead.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from gd_desktop.core.i18n import _
from gd_desktop.core.resources import APP_ID, SVG_FILE, resources_dir

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_FILE = f"{APP_ID}.desktop"
MIME_FILE = f"{APP_ID}-mime.xml"
MIME_TYPE = "application/x-gdlesson+json"

# Characters that make a desktop-entry Exec argument need double quotes (Desktop Entry spec).
_RESERVED = re.compile(r"""[\s"'\\><~|&;$*?#()`]""")


def icon_png(size: int, resources: Path | None = None) -> Path:
    """The PNG icon of ``size`` x ``size`` pixels, in the layout of an XDG icon theme."""
    base = resources_dir() if resources is None else resources
    return base / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def application_icon():
    """The window icon, every PNG size in one QIcon (empty if the files are missing)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    icon = QIcon()
    try:
        resources = resources_dir()
    except FileNotFoundError:
        return icon
    for size in ICON_SIZES:
        path = icon_png(size, resources)
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))  # the size given: no need to read it
    return icon


def launch_command() -> list[str]:
    """The command that starts this very installation of gd-desktop, as absolute paths.

    Not resolved through symlinks: a venv's ``python`` is a symlink to the interpreter it was
    made from, which does not have gd-desktop installed.
    """
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).absolute())]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name in (APP_ID, f"{APP_ID}.exe") and script.is_file():
        return [str(script.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "gd_desktop"]


def exec_argument(argument: str) -> str:
    """One argument of an ``Exec=`` line, quoted and escaped as the Desktop Entry spec says."""
    if _RESERVED.search(argument):
        argument = '"' + re.sub(r'(["`$\\])', r"\\\1", argument) + '"'
    # Then the rules of every string value: a backslash is written twice; "%" is a field code.
    return argument.replace("\\", "\\\\").replace("%", "%%")


def desktop_entry_text(command: list[str] | None = None) -> str:
    """The packaged desktop entry, with ``Exec``/``TryExec`` pointing at ``command``."""
    text = (resources_dir() / DESKTOP_FILE).read_text(encoding="utf-8")
    if command is None:
        return text
    exec_line = " ".join(exec_argument(arg) for arg in command) + " %f"
    try_exec = command[0].replace("\\", "\\\\")
    text = re.sub(r"(?m)^Exec=.*$", lambda _m: f"Exec={exec_line}", text)
    return re.sub(r"(?m)^TryExec=.*$", lambda _m: f"TryExec={try_exec}", text)


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


@dataclass
class Installed:
    command: list[str]  # what the menu entry runs
    written: list[Path] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)  # the cache tools that ran
    notes: list[str] = field(default_factory=list)


def _write(path: Path, data: bytes, installed: Installed) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    installed.written.append(path)


def _refresh(command: list[str], installed: Installed) -> None:
    """Run a desktop cache tool if the system has it; a missing or failing one is only noted."""
    import shutil  # here, not at the top: every start of the app imports this module for its icon
    import subprocess

    if shutil.which(command[0]) is None:
        return
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        installed.notes.append(
            _("{tool} did not run: {reason}").format(tool=command[0], reason=error)
        )
        return
    if result.returncode == 0:
        installed.refreshed.append(command[0])
    else:
        installed.notes.append(
            _("{tool} failed: {reason}").format(tool=command[0], reason=result.stderr.strip()[:200])
        )


def install_desktop_entry(
    target: Path | None = None, command: list[str] | None = None, refresh: bool = True
) -> Installed:
    """Install the desktop entry, the icons and the MIME type under ``target`` (a data home)."""
    home = data_home() if target is None else Path(target)
    resources = resources_dir()
    installed = Installed(launch_command() if command is None else list(command))
    entry = desktop_entry_text(installed.command)
    _write(home / "applications" / DESKTOP_FILE, entry.encode("utf-8"), installed)
    icons = home / "icons" / "hicolor"
    for size in ICON_SIZES:
        _write(
            icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png",
            icon_png(size, resources).read_bytes(),
            installed,
        )
    _write(icons / "scalable" / "apps" / SVG_FILE, (resources / SVG_FILE).read_bytes(), installed)
    _write(
        home / "mime" / "packages" / f"{APP_ID}.xml",
        (resources / MIME_FILE).read_bytes(),
        installed,
    )
    if refresh:
        _refresh(["update-mime-database", str(home / "mime")], installed)
        _refresh(["update-desktop-database", str(home / "applications")], installed)
        # No gtk-update-icon-cache: a user's icon folder works without a cache, and a cache left
        # there can hide the icons that other programs add later.
    return installed


def install_main(argv: list[str]) -> int:
    """``gd-desktop --install-desktop-entry``: install for this user and say what was done."""
    if argv:
        print(
            _(
                "gd-desktop: error: --install-desktop-entry takes no argument, got {argument}"
            ).format(argument=repr(argv[0])),
            file=sys.stderr,
        )
        return 2
    try:
        installed = install_desktop_entry()
    except OSError as error:
        print(
            _("gd-desktop: could not install the desktop entry: {reason}").format(reason=error),
            file=sys.stderr,
        )
        return 1
    home = data_home()
    print(
        _("Installed the gd-desktop menu entry for this user under {folder}:").format(folder=home)
    )
    for path in installed.written:
        print(f"  {path}")
    if installed.refreshed:
        print(_("Refreshed: {tools}.").format(tools=", ".join(installed.refreshed)))
    for note in installed.notes:
        print(_("Note: {note}").format(note=note))
    print(_("The entry starts: {command}").format(command=" ".join(installed.command)))
    print(_("gd-desktop is in the applications menu now (if not, log out and in again)."))
    print(
        _(
            "To remove it, delete the files listed above, then run update-mime-database and "
            "update-desktop-database on their folders."
        )
    )
    return 0
