"""What the app remembers between sessions, with defaults, in one typed place (QSettings).

Tests point QSettings at a temporary folder (tests/conftest.py), so they never touch a user's.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from gd_desktop.core.i18n import LANGUAGES, PSEUDO
from gd_desktop.gui.themes import DEFAULT_THEME, THEMES

MAX_RECENT = 8


class Preferences:
    """Window geometry, theme, text scale, the last lesson and recent files."""

    def __init__(self):
        self._store = QSettings("gd-desktop", "gd-desktop")

    @property
    def geometry(self) -> QByteArray | None:
        value = self._store.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def theme(self) -> str:
        """The theme's id (an unknown one, say from a hand-edited file, gives the default)."""
        value = self._store.value("view/theme", DEFAULT_THEME)
        return value if value in THEMES else DEFAULT_THEME

    @theme.setter
    def theme(self, value: str) -> None:
        self._store.setValue("view/theme", value if value in THEMES else DEFAULT_THEME)

    @property
    def text_scale(self) -> float:
        try:
            value = float(self._store.value("view/text_scale", 1.0))
        except (TypeError, ValueError):
            return 1.0
        return value if 0.6 <= value <= 3.0 else 1.0

    @text_scale.setter
    def text_scale(self, value: float) -> None:
        self._store.setValue("view/text_scale", float(value))

    @property
    def language(self) -> str:
        """The language chosen in View ▸ Language: a code, or "" for the system's."""
        value = self._store.value("view/language", "")
        return value if value in LANGUAGES or value == PSEUDO else ""

    @language.setter
    def language(self, value: str) -> None:
        self._store.setValue(
            "view/language", value if value in LANGUAGES or value == PSEUDO else ""
        )

    @property
    def recent_files(self) -> list[str]:
        value = self._store.value("files/recent", [])
        if isinstance(value, str):  # QSettings gives one entry back as a plain string
            value = [value]
        return [str(item) for item in value if item][:MAX_RECENT]

    def add_recent_file(self, path: str) -> None:
        files = [path, *(item for item in self.recent_files if item != path)]
        self._store.setValue("files/recent", files[:MAX_RECENT])

    @property
    def last_lesson(self) -> str:
        return str(self._store.value("files/last_lesson", ""))

    @last_lesson.setter
    def last_lesson(self, path: str) -> None:
        self._store.setValue("files/last_lesson", path)

    def restore_defaults(self) -> None:
        self._store.clear()
        self._store.sync()

    def sync(self) -> None:
        self._store.sync()
