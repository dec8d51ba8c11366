"""The Qt-free CSV parsers: the block parser gives exactly what read_rows gives, and reads files."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gd_desktop.core.data import (
    DataError,
    ImportCancelled,
    parse_rows_chunked,
    read_csv_file,
    read_rows,
)

# --- the block parser follows read_rows exactly

CASES = [
    "a,b\n1,2\n3,4\n",
    "\n\n1;2\n3;4\n\n5;6",
    "x\ty\n1\t2\n",
    "1,2\n3,x\n",
    "1,2\n3,4,5\n",
    "1,2\n3,nan\n",
    "h\n1\n",
    "a,b\n",
    "",
    "1,−2\n−3,4\n",
    '"1","2"\n3,4\n',
    "1,2\r\n3,4\r\n",
    "a,b,c\n1,2\n",
    "1,2\n,\n3,4\n5,,\n",
    "x, y\n 1 , 2 \n",
    "1,2,3,4,5,6,7,8,9,10,11,12\n",
    "1,abc\n2,3\n",
]


def outcome(parse, text: str):
    try:
        inputs, targets = parse(text)
    except DataError as error:
        return str(error)
    return inputs.tolist(), targets.tolist()


@pytest.mark.parametrize("text", CASES)
def test_block_parser_agrees_with_read_rows(text):
    """Same rows or the same error message as read_rows, even with blocks of two lines."""
    assert outcome(lambda t: parse_rows_chunked(t, block_lines=2), text) == outcome(read_rows, text)


CELLS = st.sampled_from(["1", "-2.5", " 3 ", "−4", "1e3", "abc", "", " ", "nan", "x1"])


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(CELLS, min_size=1, max_size=4), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    block_lines=st.integers(1, 4),
)
def test_block_parser_agrees_with_read_rows_on_any_table(rows, delimiter, block_lines):
    """For any small table of good and bad cells, blocks or not, the answer is the same."""
    text = "\n".join(delimiter.join(cells) for cells in rows)
    chunked = outcome(lambda t: parse_rows_chunked(t, block_lines=block_lines), text)
    assert chunked == outcome(read_rows, text)


def test_block_parser_reports_progress_and_stops_when_cancelled():
    """Progress rises to the end; a cancel between blocks stops the parse."""
    text = "\n".join(f"{i},{i + 1}" for i in range(10))
    seen: list[tuple[int, int]] = []
    parse_rows_chunked(text, block_lines=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 10), (6, 10), (9, 10), (10, 10)]
    with pytest.raises(ImportCancelled):
        parse_rows_chunked(text, block_lines=3, cancelled=lambda: True)


# --- files: their encodings and line ends


def test_a_csv_file_is_read_as_utf8_utf16_or_latin1_with_any_line_end(tmp_path):
    """A spreadsheet's export reads the same whatever its encoding: BOMs and CRs are dropped."""
    path = tmp_path / "rows.csv"
    for raw in (
        b"x,y\n1,2\n",
        "\ufeffx,y\r\n1,2\r\n".encode(),
        b"x,y\r1,2\r",
        "x,y\n1,2\n".encode("utf-16"),
    ):
        path.write_bytes(raw)
        assert read_csv_file(path) == "x,y\n1,2\n"
    path.write_bytes("é,y\n1,2\n".encode("latin-1"))
    assert read_csv_file(path) == "é,y\n1,2\n"


def test_a_missing_file_raises_os_error(tmp_path):
    with pytest.raises(OSError):
        read_csv_file(tmp_path / "missing.csv")


def test_trace_reads_its_data_file_with_the_same_reader(tmp_path, capsys):
    """A UTF-16 export with a header and CRLF gives trace the same rows as the window's import."""
    from gd_desktop.core.trace import trace_main

    path = tmp_path / "rows.csv"
    path.write_bytes("x1,y\r\n1,2\r\n3,4\r\n".encode("utf-16"))
    common = ["--weights", "0", "--learning-rate", "0.1", "--steps", "2", "--format", "json"]
    assert trace_main([*common, "--data", str(path)]) == 0
    from_file = capsys.readouterr().out
    assert trace_main([*common, "--inputs", "1", "--inputs", "3", "--target", "2", "4"]) == 0
    assert from_file == capsys.readouterr().out
