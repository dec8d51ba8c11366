"""The translation machinery: choosing the language, the catalogs against the source, placeholders
kept, numbers as each language writes them, the pseudo language, lessons in several languages.

The catalog checks need Babel (the test extra); .venv-core, which has no Babel, skips them and
the main run does them.
"""

from __future__ import annotations

import importlib.util
import string
from pathlib import Path

import pytest

from gd_desktop.core import i18n, lesson
from gd_desktop.core.i18n import _, ngettext, pgettext
from gd_desktop.core.numbers import format_number
from gd_desktop.core.presets import PRESETS

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "resources" / "locale"


@pytest.fixture(autouse=True)
def language_restored():
    """Each test leaves the language as it found it."""
    chosen = i18n.chosen_language()
    yield
    i18n.set_language(chosen)


def names(text: str) -> set[str]:
    """The placeholders of a format string (``{count:,}`` is ``count``); malformed braces fail."""
    return {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(text)
            if field is not None}  # fmt: skip


# --- choosing the language ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANGUAGE": "de"}, "de"),
        ({"LANGUAGE": "de", "LANG": "fr_FR.UTF-8"}, "de"),  # LANGUAGE first
        ({"LC_ALL": "es_ES.UTF-8", "LANG": "fr_FR.UTF-8"}, "es"),
        ({"LC_MESSAGES": "uk_UA.UTF-8", "LANG": "de_DE.UTF-8"}, "uk"),
        ({"LANG": "pt_BR.UTF-8"}, "pt_BR"),
        ({"LANG": "pt_PT.UTF-8"}, "pt_BR"),  # the Portuguese there is
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_TW.UTF-8"}, "en"),  # Traditional Chinese is not Simplified
        ({"LANGUAGE": "ja:fr_CA:de"}, "fr"),  # a list, tried in turn
        ({"LANGUAGE": "", "LANG": "de_AT.UTF-8@euro"}, "de"),  # an empty one is not set
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_comes_from_the_standard_variables(environment, expected):
    assert i18n.language_from_environment(environment) == expected


def test_language_de_in_the_environment_speaks_german(monkeypatch):
    for variable in i18n.LANGUAGE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANGUAGE", "de")
    assert i18n.set_language(None) == "de"
    assert _("Data set") == "Datensatz"
    assert i18n.chosen_language() == ""


def test_language_de_gd_desktop_speaks_german(tmp_path):
    """`LANGUAGE=de gd-desktop …` in a process of its own: its messages are German."""
    import os
    import subprocess
    import sys

    empty = tmp_path / "leer.gdlesson"
    empty.write_text("", encoding="utf-8")
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    environment.update(LANGUAGE="de", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "gd_desktop", "trace", "--lesson", str(empty)],
        capture_output=True, text=True, env=environment, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "keine Lektionsdatei: Die Datei ist leer" in result.stderr


def test_set_language_switches_at_run_time_and_tells_who_listens():
    heard = []
    i18n.language_changed.connect(heard.append)
    try:
        i18n.set_language("de")
        german = _("Unsaved changes")
        i18n.set_language("en")
        english = _("Unsaved changes")
    finally:
        i18n.language_changed.disconnect(heard.append)
    assert (german, english) == ("Ungespeicherte Änderungen", "Unsaved changes")
    assert heard == ["de", "en"]


def test_every_shipped_language_has_its_own_name_and_a_catalog():
    assert i18n.SHIPPED == ("de", "es", "fr", "pt_BR", "zh_CN", "uk")
    assert [i18n.LANGUAGES[code].name for code in i18n.SHIPPED] == [
        "Deutsch", "Español", "Français", "Português (Brasil)", "简体中文", "Українська",
    ]  # fmt: skip
    for code in i18n.SHIPPED:
        assert (LOCALE / code / "LC_MESSAGES" / "gd_desktop.mo").is_file(), code


def test_plurals_follow_the_count_and_a_context_is_accepted():
    i18n.set_language("de")
    assert ngettext("Removed {count:,} row.", "Removed {count:,} rows.", 1) == (
        "{count:,} Zeile entfernt."
    )
    assert ngettext("Removed {count:,} row.", "Removed {count:,} rows.", 3) == (
        "{count:,} Zeilen entfernt."
    )
    i18n.set_language("en")
    assert pgettext("a menu", "Untranslated here") == "Untranslated here"
    assert _("") == ""  # never gettext's catalog header


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "separator"),
    [("en", "."), ("de", ","), ("es", ","), ("fr", ","), ("pt_BR", ","), ("uk", ","),
     ("zh_CN", ".")],
)  # fmt: skip
def test_numbers_are_written_with_each_languages_decimal_separator(code, separator):
    i18n.set_language(code)
    assert format_number(2.24) == f"2{separator}24"
    assert format_number(-0.01) == f"−0{separator}01"
    assert format_number(1.5e-7) == f"1{separator}5e−07"
    assert format_number(24) == "24"


@pytest.mark.parametrize(
    ("code", "ten_thousand", "thousand", "megabytes"),
    [("en", "10,000", "1,000", "1,234"), ("de", "10.000", "1.000", "1.234"),
     ("es", "10.000", "1000", "1234"), ("fr", "10\u202f000", "1\u202f000", "1\u202f234"),
     ("pt_BR", "10.000", "1.000", "1.234"), ("uk", "10\u00a0000", "1\u00a0000", "1\u00a0234"),
     ("zh_CN", "10,000", "1,000", "1,234")],
)  # fmt: skip
def test_large_numbers_in_sentences_are_grouped_as_each_language_groups_them(
    code, ten_thousand, thousand, megabytes
):
    """A sentence's {count:,} is written the language's way: "10,000" means ten in German."""
    i18n.set_language(code)
    assert ten_thousand in _("Pasted {count:,} rows.").format(count=10_000)
    assert i18n.grouped(10_000) == ten_thousand
    assert i18n.grouped(1_000) == thousand
    assert i18n.grouped(1234.4, ",.0f") == megabytes
    assert i18n.grouped(999) == "999"
    shown = ngettext("Removed {count:,} row.", "Removed {count:,} rows.", 10_000).format(
        count=10_000
    )
    assert ten_thousand in shown
    assert "10,000" not in shown or ten_thousand == "10,000"


def test_a_sentence_without_a_grouped_number_is_a_plain_string():
    i18n.set_language("de")
    assert type(_("Step")) is str
    assert type(_("Pasted {count:,} rows.")) is i18n.Message
    assert _("{name} saved.").format(name="{count:,}") == "{count:,} saved."


@pytest.mark.parametrize(
    ("code", "begins"),
    [("en", "gd-desktop trace: error: there is 1 input"),
     ("de", "gd-desktop trace: Fehler: Es gibt 1 Eingabe"),
     ("fr", "gd-desktop trace : erreur : il y a 1 entrée")],
)  # fmt: skip
def test_a_sentence_after_a_colon_starts_as_the_language_writes_it(capsys, code, begins):
    """Lowered after a colon, except in German: there a whole sentence (and every noun, as in
    "Eingaben und Zielwerte müssen …") keeps its capital."""
    from tests.conftest import trace

    i18n.set_language(code)
    status, _out, err = trace(
        capsys, "--weights", "2", "3", "--inputs", "3", "--target", "10", "--learning-rate", "0.1"
    )
    assert status == 2 and err.startswith(begins), err
    assert i18n.after_colon("Eingaben und Zielwerte", "de") == "Eingaben und Zielwerte"
    assert i18n.after_colon("There are 2 inputs", "en") == "there are 2 inputs"


def test_trace_json_and_csv_keep_the_dot_whatever_the_language(capsys):
    from tests.conftest import trace

    i18n.set_language("de")
    status, out, _err = trace(
        capsys, "--inputs", "3", "--target", "10", "--weights", "2", "--learning-rate", "0.01",
        "--steps", "1", "--format", "csv",
    )  # fmt: skip
    assert status == 0 and "2.24" in out and "2,24" not in out
    status, out, _err = trace(
        capsys, "--inputs", "3", "--target", "10", "--weights", "2", "--learning-rate", "0.01",
        "--steps", "1", "--format", "json",
    )  # fmt: skip
    assert status == 0 and "2.24" in out


# --- the pseudo language ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "Saved {name}.",
        "Imported {count:,} rows from {name}.",
        "Step",
        "&Open lesson…",
        "<b>{rate}</b> is above the critical rate",
        "The data set already has {count:,} rows, the most the app can show.",
    ],
)
def test_the_pseudo_language_lengthens_accents_and_keeps_placeholders(message):
    i18n.set_language(i18n.PSEUDO)
    shown = _(message)
    assert len(shown) >= 1.35 * len(message)
    assert names(shown) == names(message)
    assert shown.format(name="x", count=1, rate=2) != message.format(name="x", count=1, rate=2)
    assert any(character in shown for character in "àçéîñøšûýžÀÉÎÖÜ") or len(message) < 6
    for kept in ("&O", "<b>", "</b>"):
        if kept in message:
            assert kept in shown
    assert i18n.decimal_separator() == ","


# --- the catalogs -------------------------------------------------------------------------------


def _tool():
    pytest.importorskip("babel", reason="Babel (the test extra) reads the catalogs")
    spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts/translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_template_is_up_to_date_with_the_source():
    tool = _tool()
    now = {(message.context, message.id) for message in tool.extracted() if message.id}
    committed = {(message.context, message.id) for message in tool.read_catalog(tool.TEMPLATE)}
    committed.discard((None, ""))
    assert now - committed == set(), "new strings: run python scripts/translations.py all"
    assert committed - now == set(), "strings gone: run python scripts/translations.py all"
    assert len(now) > 100


def test_every_compiled_catalog_matches_its_po_file():
    tool = _tool()
    for code in i18n.SHIPPED:
        mo = tool.catalog_path(code, ".mo").read_bytes()
        assert tool.messages_of_mo(mo) == tool.messages_of_mo(tool.compiled(code)), (
            f"{code}: run python scripts/translations.py compile"
        )


@pytest.mark.parametrize("code", i18n.SHIPPED)
def test_every_translation_keeps_the_originals_placeholders(code):
    tool = _tool()
    checked = 0
    for message in tool.read_catalog(tool.catalog_path(code), code):
        if not message.id or not message.string or message.fuzzy:
            continue  # a fuzzy guess is not compiled: the app never shows it
        if isinstance(message.id, tuple):
            singular, plural = message.id
            forms = [form for form in message.string if form]
            for form in forms:
                assert names(form) <= names(singular) | names(plural), (code, form)
            if forms:
                assert names(forms[-1]) == names(plural), (code, forms[-1])
        else:
            assert names(message.string) == names(message.id), (code, message.string)
        checked += 1
    assert checked >= 16  # the course lessons' titles and notes at least


@pytest.mark.parametrize("code", i18n.SHIPPED)
def test_every_string_of_the_template_is_translated(code):
    tool = _tool()
    catalog = tool.read_catalog(tool.catalog_path(code), code)
    missing = []
    for template in tool.read_catalog(tool.TEMPLATE):
        if not template.id:
            continue
        message = catalog.get(template.id, context=template.context)
        strings = message.string if message is not None else ""
        forms = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(forms):
            missing.append(template.id)
    assert missing == [], f"{code}: {len(missing)} untranslated, first {missing[:3]}"


# --- lessons in several languages ---------------------------------------------------------------


def test_the_course_lessons_carry_every_shipped_language():
    for path in lesson.shipped_lessons():
        loaded = lesson.load(path)
        assert sorted(loaded.translations) == sorted(i18n.SHIPPED), path.name
        for code in i18n.SHIPPED:
            assert set(loaded.translations[code]) == {"title", "notes"}, (path.name, code)
            assert loaded.shown_title(code) != loaded.title, (path.name, code)


def test_a_lesson_shows_the_language_in_use_and_keeps_its_own_text(tmp_path):
    preset = PRESETS[1]
    made = lesson.lesson_from_preset(preset)
    i18n.set_language("de")
    assert made.shown_title() == "Folie: zwei Eingaben"
    assert preset.name == made.shown_title()  # the presets' words follow the language too
    assert made.title == "Slide: two inputs"  # its own text is kept, for saving
    i18n.set_language("en")
    assert made.shown_title() == made.title
    path = tmp_path / "saved.gdlesson"
    lesson.save(made, path)
    assert lesson.load(path) == made  # every translation saved and read back


def test_a_lesson_without_translations_is_written_as_before():
    plain = lesson.Lesson("t", "n", [1.0], inputs=[[1.0]], targets=[2.0], learning_rate=0.1)
    text = lesson.to_json(plain)
    assert '"translations"' not in text
    assert lesson.from_json(text).translations == {}


def test_a_lesson_in_a_language_it_lacks_shows_its_own_text():
    made = lesson.Lesson(
        "Own", "Notes", [1.0], inputs=[[1.0]], targets=[2.0], learning_rate=0.1,
        translations={"de": {"title": "Eigene"}},
    )  # fmt: skip
    assert made.shown_title("de") == "Eigene" and made.shown_notes("de") == "Notes"
    assert made.shown_title("uk") == "Own"


@pytest.mark.parametrize(
    ("translations", "said"),
    [
        ([], '"translations" should be an object (or absent), not a list'),
        ({"de": "Titel"}, '"translations.de" should be an object with "title" and "notes"'),
        ({"de": {"subtitle": "x"}}, '"translations.de" may hold only "title" and "notes"'),
        ({"de": {"title": 3}}, '"translations.de.title" should be text (a string)'),
        ({"de": {"title": "x" * 201}}, '"translations.de.title" is too long'),
        ({"x": {"title": "x"}}, '"translations" has the language code'),
    ],
)
def test_bad_translations_are_refused_in_plain_words(translations, said):
    with pytest.raises(lesson.LessonError) as refused:
        lesson.Lesson(
            "t", "n", [1.0], inputs=[[1.0]], targets=[2.0], learning_rate=0.1,
            translations=translations,
        )  # fmt: skip
    assert said in str(refused.value)


def test_the_history_csv_stays_a_machine_format_in_every_language():
    from gd_desktop.core.engine import Problem
    from gd_desktop.core.history_columns import history_columns, history_csv
    from tests.core.test_history_columns import run_history

    problem = Problem.create([[1.5]], [2.0], 0.1)
    history = run_history(problem, [0.1], 3)
    english = history_csv(problem, history)
    i18n.set_language(i18n.PSEUDO)
    assert history_csv(problem, history) == english  # English headers, decimal points
    assert history_columns(problem)[0] != "iteration"  # while the table speaks the language
    assert history_columns(problem, translate=False)[0] == "iteration"
