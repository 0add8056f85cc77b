"""normalize: a text rendering read into numbered lines; markup stripped to text and cells,
line numbers kept as the file counts them."""

from __future__ import annotations

import pytest

from budgetkg.errors import EmptyInput
from budgetkg.extract.pipeline import read_source


def _read(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    return read_source(path)


def test_markdown_and_pipe_tables_become_lines_and_cells(tmp_path):
    src = _read(tmp_path, "# 第一部分 部门概况\n"
                          "一、<b>主要职能</b>\n"
                          "| 项目 | 预算数 |\n"
                          "| --- | --- |\n"
                          "| 一、本年收入 | 1,247.22 |\n"
                          "**财政拨款**：指…\u3000说明\n")
    assert src.rendering == "markdown"
    assert [(ln.number, ln.text) for ln in src.lines] == [
        (1, "第一部分 部门概况"),
        (2, "一、主要职能"),
        (3, "项目\t预算数"),                  # line 4, the pipe rule, is dropped; numbers stay the file's
        (5, "一、本年收入\t1,247.22"),
        (6, "财政拨款：指… 说明"),
        (7, ""),
    ]


def test_tab_separated_text_keeps_its_cells(tmp_path):
    rows = "".join(f"20{i}\t\t\t名称\t{i}.00\t{i}.00\t\n" for i in range(1, 25))
    src = _read(tmp_path, "部门支出总体情况表\n" + rows)
    assert src.rendering == "tsv"
    assert src.lines[1].cells == ["201", "", "", "名称", "1.00", "1.00", ""]  # the trailing empty cell is kept


def test_gb18030_text_is_read(tmp_path):
    src = _read(tmp_path, "第一部分 部门概况\n一、主要职能\n", encoding="gb18030")
    assert [ln.text for ln in src.lines[:2]] == ["第一部分 部门概况", "一、主要职能"]
    assert src.rendering == "raw"


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(EmptyInput):
        _read(tmp_path, "  \n\n")
