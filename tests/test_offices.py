"""Input as offices have it: their headers (a column mapping), their date format, Excel workbooks.

Every error path has its exact text here; every row is decided or rejected with a reason code; the same
rows through CSV and through a workbook give byte-identical outputs."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_run import run
from creditrules import xlsx
from creditrules.columns import ColumnMap, ColumnMapError, check_date_format, load_column_map, with_options
from creditrules.records import read_csv
from creditrules.xlsx import CellProblem, cell_value

ROOT = Path(__file__).resolve().parents[1]
STANDARD = "yrd-computer-application"
AS_OF = "2025-06-30"
HEADER = ["学号", "姓名", "成果编号", "证书代码", "等级", "学时", "取得日期", "是否核验", "备注"]
MAP = ROOT / "examples" / "office" / "columns.yaml"


def batch(*extra: str, tmp: Path, source: Path) -> tuple[int, str, str]:
    return run("batch", "--standards", str(ROOT / "standards"), "--standard", STANDARD, "--input", str(source),
               "--output", str(tmp / "d.jsonl"), "--as-of", AS_OF, "--workers", "1", *extra)


def rejects(tmp: Path) -> list[dict]:
    return [json.loads(line) for line in (tmp / "d.rejects.jsonl").read_text(encoding="utf-8").splitlines()]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# ---------------------------------------------------------------- the example, end to end

def test_the_example_office_spreadsheet_is_read_through_its_mapping(tmp_path: Path):
    code, out, err = batch("--columns", str(MAP), tmp=tmp_path, source=ROOT / "examples" / "office" / "rows.csv")
    assert (code, err) == (0, "")
    assert "ok: 5 read = 3 credited + 1 earned nothing + 1 rejected" in out
    assert rejects(tmp_path) == [{
        "format_version": "1.0", "line": 5, "learner": "S-2024-0002", "achievement": "A1", "code": "X-CLOUD", "stage": "read",
        "reason": "'obtained' '2025-01-10' does not match the date format %Y/%m/%d stated for this input "
                  "(e.g. 2024/06/01); row 5 is not used",
        "reason_zh": "'obtained' '2025-01-10' 不符合本输入声明的日期格式 %Y/%m/%d（例如 2024/06/01）；第 5 行不予采用",
        "reason_code": "date-format", "text": "S-2024-0002,王芳,A1,X-CLOUD,中级,,2025-01-10,是,日期写法不同"}]
    decisions = [json.loads(line) for line in (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [d["learner"] for d in decisions] == ["S-2024-0001", "S-2024-0002"]
    assert decisions[0]["total"] == 10.5


def test_without_a_date_format_an_office_date_is_refused_never_guessed(tmp_path: Path):
    source = write_csv(tmp_path / "r.csv", [["学号", "成果编号", "证书代码", "等级", "取得日期"],
                                            ["L1", "A1", "X-WEB", "中级", "2024/6/1"]])
    code, _, _ = batch("--column", "学号=learner", "--column", "成果编号=id", "--column", "证书代码=code",
                         "--column", "等级=level", "--column", "取得日期=obtained", tmp=tmp_path, source=source)
    assert code == 0
    [reject] = rejects(tmp_path)
    assert (reject["stage"], reject["reason"]) == ("achievement", "'obtained': '2024/6/1' is not a date; write "
                                                                  "YYYY-MM-DD, e.g. 2024-09-01")


def test_the_date_format_option_reads_the_offices_dates(tmp_path: Path):
    source = write_csv(tmp_path / "r.csv", [["学号", "成果编号", "证书代码", "等级", "取得日期"],
                                            ["L1", "A1", "X-WEB", "中级", "2024年6月1日"]])
    code, out, _ = batch("--column", "学号=learner", "--column", "成果编号=id", "--column", "证书代码=code",
                         "--column", "等级=level", "--column", "取得日期=obtained", "--date-format", "%Y年%m月%d日",
                         tmp=tmp_path, source=source)
    assert code == 0 and "1 read = 1 credited" in out
    decision = json.loads((tmp_path / "d.jsonl").read_text(encoding="utf-8"))
    assert decision["awards"][0]["achievements"] == ["A1"]


# ---------------------------------------------------------------- mapping errors: exact, located, exit 2

@pytest.mark.parametrize("text, message", [
    ("columns: {学号: learner}\ncolumn: {}\n",
     "MAP:2:1: unknown key 'column' in the column mapping; the keys are columns, ignore, date_format, sheet "
     "(did you mean 'columns'?)"),
    ("columns: {}\n", "MAP:1:1: 'columns' must map the office's headers to record fields, e.g. 学号: learner"),
    ("- 学号\n", "MAP:1:1: a column mapping must be a mapping with 'columns' (and optionally 'ignore', 'date_format', "
                "'sheet'), not a list"),
    ("columns:\n  学号: learner\n  编号: learner\n",
     "MAP:3:3: columns '编号' and '学号' (MAP:2:3) both give field 'learner'; map one column to each field"),
    ("columns:\n  学号: learner\n  学号: id\n", "MAP:3:3: Y002 duplicate key '学号' (first defined on line 2); remove "
                                               "one of them"),
    ("columns: {学号: learner}\nignore: [学号]\n", "MAP:2:10: column '学号' is mapped twice (also at MAP:1:11)"),
    ("columns: {学号: learner}\ndate_format: '%y/%m/%d'\n",
     "MAP:2:1: date format '%y/%m/%d' uses %y, a two-digit year whose century would be a guess; write it with %Y, "
     "%m and %d, e.g. %Y/%m/%d"),
    ("columns: {学号: learner}\ndate_format: '%Y/%m'\n",
     "MAP:2:1: date format '%Y/%m' has %d 0 times, not once; write it with %Y, %m and %d, e.g. %Y/%m/%d"),
    ("columns: {学号: 3}\n", "MAP:1:11: the field of column '学号' must be text, e.g. 学号: learner"),
])
def test_a_bad_mapping_file_is_a_located_usage_error(tmp_path: Path, text: str, message: str):
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    source = write_csv(tmp_path / "r.csv", [["学号"], ["L1"]])
    code, out, err = batch("--columns", str(path), tmp=tmp_path, source=source)
    assert (code, out) == (2, "")
    assert err == f"creditrules: {message.replace('MAP', str(path))}\n"


@pytest.mark.parametrize("options, message", [
    (["--column", "学号"], "--column '学号': write HEADER=FIELD, e.g. --column 学号=learner"),
    (["--column", "学号=learner", "--column", "学号=id"],
     "--column #2 '学号=id': column '学号' is mapped twice (also at --column #1 '学号=learner')"),
    (["--column", "学号=leaner"],
     "--column #1 '学号=leaner': 'leaner' (for column '学号') is not a record field of standard "
     "'yrd-computer-application' (did you mean 'learner'?); the fields are award, code, credits, event, field, "
     "hours, id, issuer, learner, level, obtained, organizer, region, score, tier, verified"),
    (["--columns", "MAP", "--date-format", "%d.%m.%Y"],
     "'date_format' is given twice: in MAP:13:1 and with --date-format; give it once"),
    (["--columns", "MAP", "--sheet", "x"], "'--sheet (or 'sheet' in the column mapping) is for Excel workbooks; "
                                           "'CSV' is CSV"),
])
def test_bad_mapping_options_are_usage_errors(tmp_path: Path, options: list[str], message: str):
    source = write_csv(tmp_path / "r.csv", [["学号", "成果编号"], ["L1", "A1"]])
    options = [str(MAP) if o == "MAP" else o for o in options]
    code, out, err = batch(*options, tmp=tmp_path, source=source)
    expected = message.replace("MAP", str(MAP)).replace("'CSV' is CSV", f"'{source}' is CSV").replace("'--sheet", "--sheet")
    assert (code, out, err) == (2, "", f"creditrules: {expected}\n")


@pytest.mark.parametrize("header, options, message", [
    (["学号", "编号"], ["--column", "学号=learner", "--column", "证书编号=id"],
     "SRC: column '证书编号' of the mapping (--column #2 '证书编号=id') is not in the header (line 1) (did you mean "
     "'编号'?); the header has "
     "'学号', '编号'"),
    (["学号", "学号"], ["--column", "学号=learner"],
     "SRC: the header (line 1) names column '学号' twice (columns A and B); give each column its own header"),
    (["学号", "learner"], ["--column", "学号=learner"],
     "SRC: columns A ('学号') and B ('learner') of the header (line 1) both give field 'learner'; map or rename one "
     "of them"),
    (["姓名", "编号"], ["--column", "编号=id"],
     "SRC: no column gives 'learner' (the learner's id): the header (line 1) has '姓名', '编号'; map one, e.g. "
     "--column 学号=learner"),
])
def test_a_header_that_does_not_fit_the_mapping_is_a_usage_error(tmp_path: Path, header, options, message):
    source = write_csv(tmp_path / "r.csv", [header, ["L1", "A1"]])
    code, out, err = batch(*options, tmp=tmp_path, source=source)
    assert (code, out, err) == (2, "", f"creditrules: {message.replace('SRC', str(source))}\n")


def test_ignored_columns_are_dropped_and_a_value_without_a_header_rejects_its_row(tmp_path: Path):
    source = write_csv(tmp_path / "r.csv", [["学号", "姓名", "成果编号", "证书代码", "等级", "取得日期", ""],
                                            ["L1", "李明", "A1", "X-WEB", "中级", "2024-06-01", ""],
                                            ["L1", "李明", "A2", "X-CLOUD", "中级", "2024-06-01", "?"]])
    path = tmp_path / "map.yaml"
    path.write_text("columns: {学号: learner, 成果编号: id, 证书代码: code, 等级: level, 取得日期: obtained}\n"
                    "ignore: [姓名]\n", encoding="utf-8")
    code, out, _ = batch("--columns", str(path), tmp=tmp_path, source=source)
    assert code == 0 and "2 read = 1 credited + 0 earned nothing + 1 rejected" in out
    [reject] = rejects(tmp_path)
    assert reject["reason"] == ("cell G3 (column 7 of line 3) holds '?' but its column has no header (merged header "
                                "cells leave every column but the first without one); give the column a header or "
                                "clear the cell")
    assert reject["reason_code"] == "unnamed-column"


def test_a_mapping_is_for_csv_and_workbooks_only(tmp_path: Path):
    source = tmp_path / "r.jsonl"
    source.write_text('{"learner": "L1"}\n', encoding="utf-8")
    code, _, err = batch("--column", "学号=learner", tmp=tmp_path, source=source)
    assert (code, err) == (2, f"creditrules: a column mapping is for CSV and Excel input; '{source}' is jsonl\n")


def test_date_format_check():
    assert check_date_format("%d.%m.%Y", "x") == "%d.%m.%Y"
    with pytest.raises(ColumnMapError, match="uses %H"):
        check_date_format("%Y-%m-%d %H", "x")
    with pytest.raises(ColumnMapError, match="uses a lone %"):
        check_date_format("%Y/%m/%d%", "x")
    with pytest.raises(ColumnMapError, match="is empty"):
        check_date_format(" ", "x")


def test_options_add_to_a_mapping_file():
    merged = with_options(load_column_map(MAP), ["组别=region"], None, "2024年报送")
    assert merged is not None
    assert merged.columns["组别"] == "region" and merged.sheet == "2024年报送" and merged.date_format == "%Y/%m/%d"
    assert with_options(None) is None


# ---------------------------------------------------------------- Excel workbooks

def test_the_same_rows_through_csv_and_a_workbook_give_the_same_bytes(tmp_path: Path):
    csv_rows = [HEADER,
                ["S1", "李明", "A1", "X-WEB", "中级", "", "2024/6/15", "是", ""],
                ["S1", "李明", "A2", "TRAIN-EXT", "", "40", "2025/3/1", "是", ""],
                ["S1", "李明", "A3", "X-BIGDATA", "初级", "", "2024/12/1", "true", ""],
                ["S2", "王芳", "A1", "X-CLOUD", "中级", "", "2025-01-10", "是", ""],
                ["S2", "王芳", "A2", "TRAIN-EXT", "", "12.5", "2025/3/1", "否", "=1+1"],
                ["1001", "赵", "A1", "X-WEB", "高级", "", "2024/11/20", "1", ""]]
    book_rows: list[list[object]] = [HEADER,
                                     ["S1", "李明", "A1", "X-WEB", "中级", None, date(2024, 6, 15), "是", None],
                                     ["S1", "李明", "A2", "TRAIN-EXT", None, 40, "2025/3/1", "是", None],
                                     ["S1", "李明", "A3", "X-BIGDATA", "初级", None, datetime(2024, 12, 1), True, None],
                                     ["S2", "王芳", "A1", "X-CLOUD", "中级", None, "2025-01-10", "是", None],
                                     ["S2", "王芳", "A2", "TRAIN-EXT", None, 12.5, "2025/3/1", "否", "=1+1"],
                                     [1001, "赵", "A1", "X-WEB", "高级", None, "2024/11/20", 1, None]]
    outputs = {}
    for name, source in (("csv", write_csv(tmp_path / "r.csv", csv_rows)),
                         ("xlsx", write_xlsx(tmp_path / "r.xlsx", book_rows))):
        folder = tmp_path / name
        folder.mkdir()
        code, _, err = batch("--columns", str(MAP), "--awards-csv", str(folder / "a.csv"), tmp=folder,
                               source=source)
        assert code == 0, err
        outputs[name] = [(folder / f).read_bytes() for f in ("d.jsonl", "a.csv")]
        outputs[name + "-rejects"] = [{k: v for k, v in r.items() if k != "text"} for r in rejects(folder)]
    assert outputs["csv"] == outputs["xlsx"]
    assert outputs["csv-rejects"] == outputs["xlsx-rejects"]
    assert [r["reason_code"] for r in outputs["csv-rejects"]] == ["date-format"]


def test_the_formula_text_of_a_formula_cell_without_a_value_rejects_its_row(tmp_path: Path):
    source = write_xlsx(tmp_path / "r.xlsx", [["learner", "id", "code", "level", "obtained"],
                                              ["L1", "A1", "X-WEB", "=\"中\"&\"级\"", "2024-06-01"],
                                              ["L1", "A2", "X-CLOUD", "中级", "2024-06-01"]])
    code, out, _ = batch(tmp=tmp_path, source=source)
    assert code == 0 and "2 read = 1 credited + 0 earned nothing + 1 rejected" in out
    [reject] = rejects(tmp_path)
    assert (reject["line"], reject["learner"], reject["reason_code"]) == (2, "L1", "formula-no-value")
    assert reject["reason"] == ("cell D2 holds the formula =\"中\"&\"级\" but no calculated value (the workbook was "
                                "written by a program and never opened in a spreadsheet); open and save it there, or "
                                "write the value")


def test_sheet_choice_empty_rows_and_a_merged_header(tmp_path: Path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "说明"
    first.append(["这一页是说明"])
    data = book.create_sheet("2024年报送")
    data.append([])
    data.append(["learner", "成果", None, "level", "obtained"])
    data.merge_cells("B2:C2")
    data.append(["L1", "A1", "X-WEB", "中级", date(2024, 6, 1)])
    data.append([])
    data.append(["L1", "A2", None, "中级", date(2024, 6, 1)])
    book.save(tmp_path / "r.xlsx")
    code, out, err = batch("--sheet", "2024年报送", "--column", "成果=id", tmp=tmp_path, source=tmp_path / "r.xlsx")
    assert code == 0, err
    assert "2 read = 0 credited + 0 earned nothing + 2 rejected" in out
    reject, no_code = rejects(tmp_path)
    assert (reject["line"], reject["reason_code"]) == (3, "unnamed-column")
    assert (no_code["line"], no_code["reason_code"]) == (5, "bad-code")
    assert reject["reason"].startswith("cell C3 holds 'X-WEB' but its column has no header (merged header cells")
    code, out, err = batch("--sheet", "2024报送", tmp=tmp_path, source=tmp_path / "r.xlsx")
    assert (code, err) == (2, f"creditrules: '{tmp_path / 'r.xlsx'}' has no sheet '2024报送' (did you mean "
                              "'2024年报送'?); its sheets are '说明', '2024年报送'\n")


@pytest.mark.parametrize("value, expected", [
    ("X-WEB", "X-WEB"), (2024001.0, "2024001"), (40, "40"), (12.5, "12.5"), (0.1 + 0.2, "0.3"), (True, "true"),
    (datetime(2024, 6, 1), date(2024, 6, 1)), (date(2024, 6, 1), date(2024, 6, 1)), (None, None),
])
def test_cells_become_what_a_csv_would_hold(value, expected):
    assert cell_value(value, value, "B2") == expected


@pytest.mark.parametrize("value, code, reason", [
    ("#N/A", "cell-error", "cell B2 holds the spreadsheet error #N/A; correct the formula or the value"),
    (time(8, 30), "cell-time", "cell B2 holds a time (08:30:00), not a date or text"),
    (datetime(2024, 6, 1, 8, 30), "cell-time", "cell B2 holds a time (2024-06-01 08:30:00), not a date or text"),
    (320102199001011234, "long-number", "cell B2 holds the number 3.20102199001011e+17, which a spreadsheet keeps "
                                        "to 15 digits only; store ids and codes as text"),
])
def test_cells_that_cannot_be_read_say_why(value, code, reason):
    problem = cell_value(value, value, "B2")
    assert isinstance(problem, CellProblem) and (problem.code, problem.reason[0]) == (code, reason)


# ---------------------------------------------------------------- hostile workbooks: clear error, exit 1

def test_bytes_renamed_xlsx_are_refused(tmp_path: Path):
    source = tmp_path / "r.xlsx"
    source.write_bytes(b"learner,id\nL1,A1\n")
    code, out, err = batch(tmp=tmp_path, source=source)
    assert (code, out, err) == (1, "", f"creditrules: '{source}' is not an Excel workbook (.xlsx): it is not a zip "
                                       "archive (starts with 'learner,')\n")


def test_an_old_xls_and_an_empty_file_are_refused(tmp_path: Path):
    source = tmp_path / "r.xlsx"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert batch(tmp=tmp_path, source=source)[2] == (f"creditrules: '{source}' is an Excel 97-2003 workbook (.xls), "
                                                     "which is not read; save it as .xlsx or .csv\n")
    source.write_bytes(b"")
    assert batch(tmp=tmp_path, source=source)[2] == (f"creditrules: '{source}' is not an Excel workbook (.xlsx): it "
                                                     "is not a zip archive (starts with nothing (an empty file))\n")


def test_a_zip_that_is_no_workbook_is_refused(tmp_path: Path):
    source = tmp_path / "r.xlsx"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    code, _, err = batch(tmp=tmp_path, source=source)
    assert (code, err) == (1, f"creditrules: '{source}' is a zip archive but not an Excel workbook: it has no "
                              "xl/workbook.xml (an .ods, .docx or other archive?)\n")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path):
    source = write_xlsx(tmp_path / "r.xlsx", [["learner"], ["L1"]])
    with zipfile.ZipFile(source, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/bomb.bin", b"\0" * (8 << 20))
    code, _, err = batch(tmp=tmp_path, source=source)
    assert code == 1
    assert re.fullmatch(f"creditrules: '{re.escape(str(source))}': xl/media/bomb.bin is compressed 10[0-9][0-9]:1, "
                        r"more than 200:1 \(a zip bomb\?\); it is not read\n", err)


def test_parts_over_the_size_limits_are_refused(tmp_path: Path, monkeypatch):
    source = write_xlsx(tmp_path / "r.xlsx", [["learner"], ["L1"]])
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 100)
    code, _, err = batch(tmp=tmp_path, source=source)
    assert code == 1 and err.startswith(f"creditrules: '{source}': ")
    assert err.endswith(" bytes, over the limit of 100 for one part; split the workbook or save the sheet as CSV\n")


def test_huge_dimensions_are_bounded(tmp_path: Path, monkeypatch):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["learner", "id"])
    sheet["XFD1048576"] = "far away"  # 17 billion cells if the sheet were a rectangle
    book.save(tmp_path / "r.xlsx")
    monkeypatch.setattr(xlsx, "MAX_ROWS", 1000)
    code, _, err = batch(tmp=tmp_path, source=tmp_path / "r.xlsx")
    assert (code, err) == (1, f"creditrules: '{tmp_path / 'r.xlsx'}': sheet 'Sheet' goes beyond row 1000; it is not "
                              "read\n")
    monkeypatch.setattr(xlsx, "MAX_ROWS", 1_048_576)
    monkeypatch.setattr(xlsx, "MAX_CELLS", 10_000)
    code, _, err = batch(tmp=tmp_path, source=tmp_path / "r.xlsx")
    assert (code, err) == (1, f"creditrules: '{tmp_path / 'r.xlsx'}': sheet 'Sheet' spans more than 10000 cells "
                              "(rows × columns in use); split it or save it as CSV\n")


def test_a_broken_workbook_is_an_error_not_a_traceback(tmp_path: Path):
    source = write_xlsx(tmp_path / "r.xlsx", [["learner"], ["L1"]])
    broken = tmp_path / "b.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(broken, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, b"<worksheet><sheetData><row" if item.filename.startswith("xl/worksheets/") else data)
    code, _, err = batch(tmp=tmp_path, source=broken)
    assert code == 1 and err.startswith(f"creditrules: '{broken}' cannot be read as an Excel workbook: ")


def test_a_workbook_without_a_learner_column_and_no_mapping_is_the_inputs_problem(tmp_path: Path):
    source = write_xlsx(tmp_path / "r.xlsx", [["x", "y"], ["1", "2"]])
    code, _, err = batch(tmp=tmp_path, source=source)
    assert (code, err) == (1, f"creditrules: {source}: no column gives 'learner' (the learner's id): the header "
                              "(line 1) has 'x', 'y'; map one, e.g. --column 学号=learner\n")


def test_a_chart_sheet_is_refused(tmp_path: Path):
    book = openpyxl.Workbook()
    book.create_chartsheet("图表")
    book.save(tmp_path / "r.xlsx")
    code, _, err = batch("--sheet", "图表", tmp=tmp_path, source=tmp_path / "r.xlsx")
    assert code == 1 and err.startswith(f"creditrules: '{tmp_path / 'r.xlsx'}' cannot be read as an Excel workbook: ")


def test_the_library_raises_and_never_prints(tmp_path: Path, capsys):
    from creditrules import compile_standards, evaluate_batch

    standard = compile_standards([ROOT / "standards"])[STANDARD]
    source = write_csv(tmp_path / "r.csv", [["编号"], ["L1"]])
    with pytest.raises(ColumnMapError) as caught:
        evaluate_batch(source, standard, output=tmp_path / "d.jsonl", as_of=AS_OF,
                       columns=with_options(None, ["学号=learner"]))
    assert caught.value.reason == (
        f"{source}: column '学号' of the mapping (--column #1 '学号=learner') is not in the header (line 1); the "
        "header has '编号'",
        f"{source}：映射中的列 '学号'（--column #1 '学号=learner'）不在表头（第 1 行）中；表头为 '编号'")
    assert capsys.readouterr() == ("", "")


def test_a_workbook_from_standard_input_is_refused(tmp_path: Path):
    code, _, err = run("batch", "--standards", str(ROOT / "standards"), "--standard", STANDARD, "--input", "-",
                       "--input-format", "xlsx", "--output", str(tmp_path / "d.jsonl"), "--as-of", AS_OF)
    assert (code, err) == (1, "creditrules: an Excel workbook cannot be read from standard input; give a file\n")


def test_csv_outputs_neutralise_formulas_from_a_workbook(tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["learner", "id", "code", "level", "obtained"])
    sheet.append(["L1", "A1", "X-WEB", "中级", "2024/06/01"])
    sheet["A2"].value = '=HYPERLINK("http://x")'
    sheet["A2"].data_type = "s"  # text that starts with '=', not a formula
    book.save(tmp_path / "r.xlsx")
    code, _, _ = batch("--rejects", str(tmp_path / "r.csv"), tmp=tmp_path, source=tmp_path / "r.xlsx")
    assert code == 0
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"")"' in text and ',"=' not in text


# ---------------------------------------------------------------- nothing dropped, whatever the cells


_CELL = st.text(alphabet="L1A/2024-6年月日 中级=\"", max_size=8).filter(lambda c: "\"" not in c)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=3, max_size=3), max_size=12))
def test_every_office_row_is_read_or_rejected_never_dropped(rows: list[list[str]]):
    text = "学号,取得日期,备注\n" + "".join(",".join(r) + "\n" for r in rows)
    column_map = ColumnMap({"学号": "learner", "取得日期": "obtained"}, frozenset({"备注"}), "%Y/%m/%d",
                           origin={"学号": "x", "取得日期": "x", "备注": "x"})
    read = list(read_csv(io.BytesIO(text.encode("utf-8")), [], "r.csv", column_map))
    expected = [n for n, r in enumerate(rows, start=2) if any(c.strip() for c in r)]
    assert [row.line for row in read] == expected
    for row in read:
        assert (row.learner is not None and row.problem is None) or row.problem is not None
        if row.problem is None:
            obtained = json.loads(row.payload).get("obtained")
            assert obtained is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", obtained)
