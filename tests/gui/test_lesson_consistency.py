"""The lesson format agrees with the window's side: the MIME type and the speeds."""

from pathlib import Path

from gd_desktop.core import lesson

ROOT = Path(__file__).resolve().parents[2]


def test_mime_type_matches_the_declared_one():
    """lesson.MIME_TYPE and the extension are those of resources/gd-desktop-mime.xml."""
    from gd_desktop.gui import desktop_integration

    xml = (ROOT / "resources" / "gd-desktop-mime.xml").read_text(encoding="utf-8")
    assert f'<mime-type type="{lesson.MIME_TYPE}">' in xml
    assert f'<glob pattern="*{lesson.EXTENSION}"/>' in xml
    assert lesson.MIME_TYPE == desktop_integration.MIME_TYPE
