"""Where the shipped files are (icons, desktop entry, MIME type, course lessons, translations), in
every form gd-desktop runs in: a source checkout, a pip install, the PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

APP_ID = "gd-desktop"  # the desktop file's name, Wayland's app id and the icon's name
SVG_FILE = f"{APP_ID}.svg"


def resources_dir() -> Path:
    """The folder with the icons, the desktop entry, the MIME type and the course lessons.

    Inside the package for a pip install or the PyInstaller bundle; ``resources/`` beside the
    package for a source checkout (also with ``pip install -e``).
    """
    package = Path(__file__).resolve().parent.parent
    candidates = [package / "resources", package.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "gd_desktop" / "resources")
    for candidate in candidates:
        if (candidate / SVG_FILE).is_file():
            return candidate
    raise FileNotFoundError(
        "gd-desktop's icons and desktop files are missing (looked in "
        + ", ".join(str(c) for c in candidates)
        + "); reinstall gd-desktop"
    )


def locale_dir() -> Path | None:
    """The folder of the compiled translations (``<code>/LC_MESSAGES/gd_desktop.mo``), or None
    when the resources are missing (the app then speaks English)."""
    try:
        folder = resources_dir() / "locale"
    except FileNotFoundError:
        return None
    return folder if folder.is_dir() else None
