"""One translation function for the whole package, the core and the window alike. No Qt.

Every user-visible sentence goes through :func:`_` (``ngettext`` for plurals, ``pgettext`` where one
English word has two meanings), as a whole sentence with named placeholders, formatted after it is
translated: ``_("Saved {count} rows to {name}.").format(count=3, name=name)``. Strings made when a
module is imported (tables, dataclass defaults) are marked with :func:`N_` and translated where they
are shown, so a change of language reaches them too.

The catalogs are gettext ``.mo`` files in ``resources/locale/<code>/LC_MESSAGES/gd_desktop.mo``
(docs/TRANSLATING.md). The language is by default the system's, from the standard variables
(LANGUAGE, then LC_ALL, LC_MESSAGES, LANG: ``LANGUAGE=de gd-desktop`` is German);
:func:`set_language` switches at run time and calls every callback of :data:`language_changed`, so
that the window redraws. The ``pseudo`` language needs no catalog: every string about 40 % longer,
with accents, placeholders kept; tests use it to find strings that are not translatable and labels
that clip.
"""

from __future__ import annotations

import gettext
import math
import os
import re
import string
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

DOMAIN = "gd_desktop"
SOURCE_LANGUAGE = "en"
PSEUDO = "pseudo"
#: The variables that name the user's language, in the order gettext reads them.
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@dataclass(frozen=True)
class Language:
    """A language the app speaks: its catalog's code, its own name, how it writes a decimal and
    how it groups the digits of a large number (as the Unicode CLDR writes them)."""

    code: str  # the catalog's folder name: "de", "pt_BR", "zh_CN"
    name: str  # as its speakers write it, for the View ▸ Language menu
    decimal_separator: str
    group_separator: str
    smallest_grouped: int = 1_000  # Spanish writes 1000 and 10.000
    lowers_after_colon: bool = True  # German: a sentence after a colon keeps its capital


#: The source language first, then the shipped translations, each by its own name.
LANGUAGES: Mapping[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", ".", ","),
        Language("de", "Deutsch", ",", ".", lowers_after_colon=False),
        Language("es", "Español", ",", ".", smallest_grouped=10_000),
        Language("fr", "Français", ",", "\u202f"),  # a narrow no-break space
        Language("pt_BR", "Português (Brasil)", ",", "."),
        Language("zh_CN", "简体中文", ".", ","),
        Language("uk", "Українська", ",", "\u00a0"),  # a no-break space
    )
}
#: The translated languages shipped (each has a catalog).
SHIPPED = tuple(code for code in LANGUAGES if code != SOURCE_LANGUAGE)
#: The pseudo language writes a comma, so a test in it also checks the comma's way.
_PSEUDO_LANGUAGE = Language(PSEUDO, "Pseudo", ",", ".")
#: Regional variants and other spellings that read one of the shipped languages.
_ALIASES = {"pt": "pt_BR", "zh": "zh_CN", "zh_Hans": "zh_CN", "zh_SG": "zh_CN"}
#: Traditional Chinese is not Simplified Chinese: these fall back to English.
_NOT_READ = frozenset({"zh_TW", "zh_HK", "zh_MO", "zh_Hant"})


class LanguageChanged:
    """Callbacks run after every change of language (the window redraws its words)."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[str], object]] = []

    def connect(self, callback: Callable[[str], object]) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[[str], object]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, code: str) -> None:
        for callback in list(self._callbacks):
            callback(code)


language_changed = LanguageChanged()


class _Current:
    """The language in use and its catalog: chosen from the environment when first needed."""

    def __init__(self) -> None:
        self.code: str | None = None
        self.chosen = ""  # what was asked for: "" is the system's default
        self.catalog: gettext.NullTranslations = gettext.NullTranslations()
        self.lock = threading.Lock()

    def ensure(self) -> None:
        if self.code is None:
            _install(self.chosen)


_current = _Current()


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The shipped language the standard variables ask for; English if none of them does.

    As gettext does, the first variable that is set decides; LANGUAGE may list several
    languages (``fr_CA:fr:de``), tried in turn. ``C`` and ``POSIX`` mean English.
    """
    environ = os.environ if environ is None else environ
    for variable in LANGUAGE_VARIABLES:
        value = environ.get(variable, "").strip()
        if not value:
            continue
        for entry in value.split(":") if variable == "LANGUAGE" else [value]:
            code = known_language(entry)
            if code is not None:
                return code
        return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def known_language(locale_name: str) -> str | None:
    """The language code that a locale name (``de_AT.UTF-8``, ``pt``, ``zh-CN``) reads, if any."""
    name = re.split(r"[.@]", locale_name.strip(), maxsplit=1)[0].replace("-", "_")
    if name in ("C", "POSIX"):
        return SOURCE_LANGUAGE
    if name == PSEUDO:
        return PSEUDO
    if name in _NOT_READ:
        return None
    for candidate in (name, name.split("_")[0]):
        if candidate in LANGUAGES:
            return candidate
        if candidate in _ALIASES:
            return _ALIASES[candidate]
    return None


def locale_dir():
    """The folder with the compiled catalogs, or None if they are missing (English then)."""
    from gd_desktop.core.resources import locale_dir as find

    return find()


def _catalog(code: str) -> gettext.NullTranslations:
    if code in (SOURCE_LANGUAGE, PSEUDO):
        return gettext.NullTranslations()
    folder = locale_dir()
    if folder is None:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, str(folder), [code], fallback=True)


def _install(chosen: str) -> str:
    code = known_language(chosen) if chosen else None
    if code is None:
        code = language_from_environment()
    catalog = _catalog(code)
    with _current.lock:
        _current.chosen, _current.code, _current.catalog = chosen, code, catalog
    return code


def set_language(chosen: str | None) -> str:
    """Speak ``chosen`` from now on (a code of :data:`LANGUAGES` or ``pseudo``); ``None`` or
    ``""`` is the system's language. Returns the code in use; runs :data:`language_changed`.
    """
    code = _install(chosen or "")
    language_changed.emit(code)
    return code


def current_language() -> str:
    """The code of the language in use: ``en``, one of :data:`SHIPPED`, or ``pseudo``."""
    _current.ensure()
    return _current.code


def chosen_language() -> str:
    """What was asked for: a code, or ``""`` for the system's language."""
    return _current.chosen


def language(code: str | None = None) -> Language:
    """The :class:`Language` of ``code`` (by default the one in use)."""
    code = current_language() if code is None else code
    return _PSEUDO_LANGUAGE if code == PSEUDO else LANGUAGES.get(code, LANGUAGES["en"])


def decimal_separator(code: str | None = None) -> str:
    """How the language writes the decimal point: "," for de, es, fr, pt_BR and uk; "." else."""
    return language(code).decimal_separator


def localized_number(text: str, code: str | None = None) -> str:
    """A number written with a dot (``2.24``, ``1.5e-07``) as the language writes it."""
    separator = decimal_separator(code)
    return text if separator == "." else text.replace(".", separator)


def after_colon(sentence: str, code: str | None = None) -> str:
    """``sentence`` as it reads after a colon in another ("Could not open a.gdlesson: there
    are 2 inputs…"): its first letter lowered, except in German, where a whole sentence after a
    colon starts with a capital (and a noun always does)."""
    if not language(code).lowers_after_colon:
        return sentence
    return f"{sentence[:1].lower()}{sentence[1:]}"


def grouped(number: float, spec: str = ",", code: str | None = None) -> str:
    """``number`` formatted by ``spec`` (Python's, with its "," for grouping: ",", ",.0f") and
    written as the language writes it: 10,000 is "10.000" in German, "10 000" in French."""
    text = format(number, spec)
    chosen = language(code)
    if "," in spec and abs(number) < chosen.smallest_grouped:
        text = format(number, spec.replace(",", "", 1))
    return text.translate({ord(","): chosen.group_separator, ord("."): chosen.decimal_separator})


class _LanguageFormatter(string.Formatter):
    """``str.format`` whose grouped numbers (``{count:,}``) follow the language in use."""

    def format_field(self, value, format_spec: str) -> str:
        if "," in format_spec and isinstance(value, int | float) and not isinstance(value, bool):
            return grouped(value, format_spec)
        return super().format_field(value, format_spec)


_FORMATTER = _LanguageFormatter()


class Message(str):
    """A translated sentence with a grouped number in it: its ``format`` writes that number as
    the language does. ``_`` returns one only for such sentences; others are plain ``str``."""

    __slots__ = ()

    def format(self, *args, **kwargs) -> str:  # noqa: A003 (str's own name, on purpose)
        return _FORMATTER.vformat(str(self), args, kwargs)


def _message(text: str) -> str:
    return Message(text) if ":," in text else text


# --- the translation functions ------------------------------------------------------------------


def N_(message: str) -> str:  # noqa: N802 (gettext's name for a marker)
    """Mark a string for the catalog without translating it now (translate it where shown)."""
    return message


def _(message: str) -> str:
    """The message in the language in use (itself when it has no translation)."""
    if not message:
        return message  # gettext would give the catalog's header for ""
    _current.ensure()
    if _current.code == PSEUDO:
        return _message(pseudo(message))
    return _message(_current.catalog.gettext(message))


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, as the language in use forms plurals."""
    _current.ensure()
    if _current.code == PSEUDO:
        return _message(pseudo(singular if count == 1 else plural))
    return _message(_current.catalog.ngettext(singular, plural, count))


def pgettext(context: str, message: str) -> str:
    """The message as meant in ``context`` (one English word, two meanings)."""
    _current.ensure()
    if _current.code == PSEUDO:
        return _message(pseudo(message))
    return _message(_current.catalog.pgettext(context, message))


def translation_in(code: str, message: str) -> str | None:
    """The message's translation in the language ``code``, or None if its catalog has none
    (the course lessons carry these; the language in use is not changed)."""
    text = _catalog(code).gettext(message)
    return text if text != message else None


# --- the pseudo language ------------------------------------------------------------------------

_ACCENTED = str.maketrans(
    "aceinosuyzAEIOUCNSYZ",
    "àçéîñøšûýžÀÉÎÖÜÇÑŠÝŽ",
)
#: What the pseudo language keeps as it is: placeholders ({name}, {value:,}, {{ and }}), printf
#: conversions, HTML tags and entities, and Qt's mnemonic ampersand with its letter.
_KEPT = re.compile(
    r"\{\{|\}\}|\{[^{}]*\}|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifgeEx%]"
    r"|<[^<>]*>|&(?:[a-zA-Z]+|#\d+);|&."
)
_FILLER = " ·ŀőŋĝéř"
PSEUDO_GROWTH = 0.4


def pseudo(message: str) -> str:
    """``message`` accented, in brackets and about 40 % longer, its placeholders, tags and
    mnemonics kept: ``"Saved {name}."`` → ``"⟦Šàvéð {name}. ·ŀ⟧"``."""
    if not message:
        return message
    pieces = []
    position = 0
    for match in _KEPT.finditer(message):
        pieces.append(message[position : match.start()].translate(_ACCENTED))
        pieces.append(match.group())
        position = match.end()
    pieces.append(message[position:].translate(_ACCENTED))
    accented = "".join(pieces)
    extra = max(1, math.ceil(len(message) * PSEUDO_GROWTH) - 2)  # the brackets count too
    filler = (_FILLER * (extra // len(_FILLER) + 1))[:extra]
    return f"⟦{accented}{filler}⟧"
