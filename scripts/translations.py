"""The translation catalogs: extract the template from the source, update every language, compile.

    python scripts/translations.py extract   # resources/locale/gd_desktop.pot from gd_desktop/
    python scripts/translations.py update    # every language's .po gets the template's strings
    python scripts/translations.py compile   # every .po compiled to its .mo (committed)
    python scripts/translations.py all       # the three, then the course lessons' files, which
                                             # carry every language (packaging/make_lessons.py)
    python scripts/translations.py check     # exit 1 if the template or a .mo is out of date
    python scripts/translations.py init xx   # a new language's catalog (then add it to i18n.py)

Babel does the work (``pip install -e ".[test]"`` brings it). The strings are those given to
``_``, ``N_``, ``ngettext``, ``pgettext`` and ``npgettext`` in gd_desktop/; a comment starting
``TRANSLATORS:`` just above one goes to the translators. The compiled ``.mo`` files are committed
beside their ``.po`` (tests/core/test_translations.py checks that they agree), so a source
checkout, the wheel, the bundle and the .deb all carry them. docs/TRANSLATING.md says how a
teacher adds or improves a language.
"""

from __future__ import annotations

import argparse
import gettext
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "gd_desktop"
LOCALE = ROOT / "resources" / "locale"
TEMPLATE = LOCALE / "gd_desktop.pot"
DOMAIN = "gd_desktop"
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ("TRANSLATORS:",)
WIDTH = 100
sys.path.insert(0, str(ROOT))


def catalog_path(code: str, suffix: str = ".po") -> Path:
    return LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def languages() -> list[str]:
    """The languages with a catalog here (the shipped ones, once initialised)."""
    return sorted(path.parents[1].name for path in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def extracted():
    """The template as the source has it now: a Babel catalog of every marked string."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract

    import gd_desktop

    catalog = Catalog(
        project="gd-desktop",
        version=gd_desktop.__version__,
        copyright_holder="the gd-desktop authors",
        msgid_bugs_address="",
        charset="utf-8",
    )
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        with path.open("rb") as file:
            found = extract("python", file, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                            strip_comment_tags=True)  # fmt: skip
            for line, message, comments, context in found:
                if not message or (isinstance(message, tuple) and not message[0]):
                    continue
                catalog.add(
                    message, None, [(relative, line)], auto_comments=comments, context=context
                )
    return catalog


def _po_bytes(catalog, **options) -> bytes:
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, **options)
    return out.getvalue()


def _without_dates(data: bytes) -> bytes:
    return b"\n".join(
        line for line in data.split(b"\n") if not line.startswith((b'"POT-Creation-Date', b'"PO-'))
    )


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the file already says the same (dates aside)."""
    from gd_desktop.core.files import write_bytes_atomically

    if path.is_file() and _without_dates(path.read_bytes()) == _without_dates(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomically(path, data)
    return True


def write_template() -> bool:
    return _write(TEMPLATE, _po_bytes(extracted()))


def read_catalog(path: Path, code: str | None = None):
    from babel.messages.pofile import read_po

    with path.open("rb") as file:
        return read_po(file, locale=code)


def init_language(code: str) -> Path:
    """A new language's catalog from the template, its plural rule from Babel's locale data."""
    from babel import Locale

    path = catalog_path(code)
    if path.exists():
        raise SystemExit(f"translations: {path.relative_to(ROOT)} exists already")
    catalog = read_catalog(TEMPLATE)
    catalog.locale = Locale.parse(code)
    catalog.revision_date = catalog.creation_date
    catalog.fuzzy = False
    _write(path, _po_bytes(catalog))
    return path


def update_language(code: str) -> bool:
    """The language's catalog with the template's strings: new ones empty (or a fuzzy guess
    from a similar old one), gone ones dropped, translations kept."""
    template = read_catalog(TEMPLATE)
    catalog = read_catalog(catalog_path(code), code)
    catalog.update(template, update_header_comment=False)
    return _write(catalog_path(code), _po_bytes(catalog, ignore_obsolete=True))


def compiled(code: str) -> bytes:
    """The language's .po compiled (fuzzy translations left out, as gettext's msgfmt does)."""
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, read_catalog(catalog_path(code), code), use_fuzzy=False)
    return out.getvalue()


def compile_language(code: str) -> bool:
    path = catalog_path(code, ".mo")
    data = compiled(code)
    if path.is_file() and messages_of_mo(path.read_bytes()) == messages_of_mo(data):
        return False
    _write(path, data)
    return True


def messages_of_mo(data: bytes) -> dict:
    """Every message of a compiled catalog (the header aside): what gettext will read."""
    messages = dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)
    messages.pop("", None)
    return messages


def stale() -> list[str]:
    """What is out of date: the template against the source, each .mo against its .po."""
    problems = []
    now = {(message.context, message.id) for message in extracted() if message.id}
    committed = {(m.context, m.id) for m in read_catalog(TEMPLATE) if m.id}
    if now != committed:
        problems.append(
            f"{TEMPLATE.relative_to(ROOT)} is out of date: {len(now - committed)} string(s) new,"
            f" {len(committed - now)} gone"
        )
    for code in languages():
        mo = catalog_path(code, ".mo")
        if not mo.is_file() or messages_of_mo(mo.read_bytes()) != messages_of_mo(compiled(code)):
            problems.append(f"{mo.relative_to(ROOT)} does not match its .po")
    sys.path.insert(0, str(ROOT / "packaging"))
    import make_lessons

    problems += [f"course lesson {problem}" for problem in make_lessons.stale()]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("extract", "update", "compile", "all", "check", "init"))
    parser.add_argument("language", nargs="?", help="for init: the new language's code")
    args = parser.parse_args(argv)
    if args.command == "init":
        if not args.language:
            parser.error("init needs a language code, for example: init it")
        print(init_language(args.language).relative_to(ROOT))
        return 0
    if args.command == "check":
        problems = stale()
        for problem in problems:
            print(f"translations: {problem}", file=sys.stderr)
        if problems:
            print("translations: run python scripts/translations.py all", file=sys.stderr)
        return 1 if problems else 0
    if args.command in ("extract", "all") and write_template():
        print(TEMPLATE.relative_to(ROOT))
    for code in languages():
        if args.command in ("update", "all") and update_language(code):
            print(catalog_path(code).relative_to(ROOT))
        if args.command in ("compile", "all") and compile_language(code):
            print(catalog_path(code, ".mo").relative_to(ROOT))
    if args.command == "all":
        write_course_lessons()
    return 0


def write_course_lessons() -> None:
    """The shipped lesson files again, their titles and notes from the catalogs just compiled."""
    sys.path.insert(0, str(ROOT / "packaging"))
    import make_lessons

    for problem in make_lessons.stale():
        print(f"course lesson: {problem}; written again")
    make_lessons.write()


if __name__ == "__main__":
    sys.exit(main())
