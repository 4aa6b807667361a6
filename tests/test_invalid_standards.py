"""Every file (or folder) under tests/invalid/ holds one problem and says what the user must see.

A case is a top-level ``*.yaml`` file, or a folder when the problem needs several
standards (a cycle, a base and a child, two files with the same version). Each
file of a case starts with the diagnostics it must produce::

    # expect: C040 49:23 unknown course 'C210' (did you mean 'C201'?)

that is ``# expect: <code> <line>:<col> <exact message>``; several lines when one
problem is reported more than once, none in a folder file that is itself valid.
The test compares the *set* of diagnostics exactly: a missing message, an extra
(cascading) message, a wrong line or a reworded message all fail.

Paths are relative to the repository root (the tests chdir there), because some
messages name another file (``... is also defined in tests/invalid/...``).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import creditrules
from creditrules import _yaml
from creditrules.api import check
from creditrules.cli import main
from creditrules.codes import CODES

ROOT = Path(__file__).resolve().parents[1]
INVALID = Path("tests") / "invalid"
EXPECT = re.compile(r"^# expect: (?P<code>[EYCWA]\d{3}) (?P<line>\d+):(?P<col>\d+) (?P<message>.+)$")


def _cases() -> list[Path]:
    root = ROOT / INVALID
    return sorted(INVALID / p.name for p in root.iterdir() if p.is_dir() or p.suffix in (".yaml", ".yml"))


CASES = _cases()


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _files(case: Path) -> list[Path]:
    if case.is_file():
        return [case]
    return sorted(p for p in case.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml"))


def _relative(path: str | Path, case: Path) -> str:
    """The file's name inside the case: '' for a one-file case, 'cycle-a.yaml' in a folder."""
    return "" if case.is_file() else Path(path).relative_to(case).as_posix()


def expected(case: Path) -> set[tuple[str, str]]:
    """(file inside the case, 'line:col: CODE message') for every '# expect:' header line."""
    found: set[tuple[str, str]] = set()
    for file in _files(case):
        # not-utf8.yaml is not UTF-8 past its header: decode leniently, only the header matters
        for text in file.read_bytes().decode("utf-8", errors="replace").split("\n"):
            if not text.startswith("#"):
                break
            match = EXPECT.match(text)
            if match:
                found.add((_relative(file, case),
                           f"{match['line']}:{match['col']}: {match['code']} {match['message']}"))
            elif text.startswith("# expect"):
                raise AssertionError(f"{file}: malformed header line {text!r}")
    return found


def actual(diagnostics: list[creditrules.Diagnostic], case: Path) -> set[tuple[str, str]]:
    result = set()
    for d in diagnostics:
        text = str(d)
        prefix = f"{d.path}:"
        assert text.startswith(prefix), text
        result.add((_relative(d.path, case), text[len(prefix):]))
    return result


def _is_error(line: str) -> bool:
    """For an expected 'line:col: CODE message': whether CODE is an error (A codes may be either)."""
    return CODES[line.split(" ", 2)[1]].severity is creditrules.Severity.ERROR


def _has_error(case: Path) -> bool:
    return any(_is_error(line) for _, line in expected(case))


# ---------------------------------------------------------------- the folder itself

def test_the_folder_has_cases():
    assert len(CASES) >= 100


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_declares_what_it_expects(case: Path):
    assert expected(case), f"{case}: no '# expect:' line"


def test_every_diagnostic_code_has_an_example():
    """Every code the loader, the YAML layer, the compiler and the analysis can emit is shown by
    some case (E001 needs a path that does not exist and E004 a broken link or a FIFO, which git
    does not keep as they must be, so both are tested below instead)."""
    package = ROOT / "src" / "creditrules"
    sources = [package / name for name in ("_yaml.py", "loader.py", "compiler.py")]
    sources += sorted((package / "analysis").glob("*.py"))
    codes = set()
    for source in sources:
        codes |= set(re.findall(r"\"([EYCWA]\d{3})\"", source.read_text(encoding="utf-8")))
    assert {"A001", "A041", "W002"} <= codes
    covered = {line.split(" ", 2)[1] for case in CASES for _, line in expected(case)}
    assert codes - covered - {"E001", "E004"} == set()


# ---------------------------------------------------------------- the library

@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_standard(case: Path):
    try:
        diagnostics = creditrules.validate([case])
    except Exception as exc:  # a crash is a finding: the user gets a traceback instead of a message
        pytest.fail(f"validate crashed on {case}: {type(exc).__name__}: {exc}")
    assert actual(diagnostics, case) == expected(case)


def test_validate_is_sorted_and_stable():
    first = creditrules.validate([INVALID / "cycle"])
    second = creditrules.validate([INVALID / "cycle"])
    assert first == second == sorted(first)


def test_compile_standards_raises_with_the_same_diagnostics():
    case = INVALID / "unknown-course.yaml"
    with pytest.raises(creditrules.StandardError) as info:
        creditrules.compile_standards(case)
    assert actual(list(info.value.diagnostics), case) == expected(case)
    assert str(info.value) == "tests/invalid/unknown-course.yaml:49:23: C040 unknown course 'C210' (did you mean 'C201'?)"


def test_missing_path():
    diagnostics = creditrules.validate(["tests/invalid/does-not-exist.yaml"])
    assert [str(d) for d in diagnostics] == ["tests/invalid/does-not-exist.yaml:0:0: E001 no such file or folder"]


def test_folder_without_standards(tmp_path: Path):
    (tmp_path / "README.txt").write_text("not a standard\n", encoding="utf-8")
    (tmp_path / "only.cases.yaml").write_text("standard: x\ncases: []\n", encoding="utf-8")
    diagnostics = creditrules.validate([tmp_path])
    assert [str(d) for d in diagnostics] == [f"{tmp_path}:0:0: E001 no standard files (*.yaml) found"]


def test_entries_skipped_in_a_folder_are_reported(tmp_path: Path):
    import os
    good = ROOT / INVALID / "duplicate-version" / "first.yaml"
    (tmp_path / "ok.yaml").write_bytes(good.read_bytes())
    (tmp_path / "secret.yaml").write_text("id: s\n", encoding="utf-8")
    folder = tmp_path / "checked"
    folder.mkdir()
    (folder / "ok.yaml").write_bytes(good.read_bytes())
    os.symlink("nowhere.yaml", folder / "broken.yaml")
    os.symlink("loop.yaml", folder / "loop.yaml")
    os.symlink(tmp_path / "secret.yaml", folder / "outside.yaml")
    os.symlink("ok.yaml", folder / "inside.yml")  # inside the folder: read (and a duplicate version)
    os.symlink(tmp_path, folder / "sub")
    (folder / "real").mkdir()
    os.symlink("..", folder / "real" / "up")  # a loop: not followed, named
    os.symlink("real", folder / "again")  # a second way into a folder read anyway: nothing is lost
    os.mkfifo(folder / "pipe.yaml")
    (folder / "notes.txt").write_text("not a standard\n", encoding="utf-8")
    assert [str(d) for d in creditrules.validate([folder])] == [
        f"{folder}/broken.yaml:0:0: E004 skipped: a broken symbolic link (its target does not exist)",
        f"{folder}/loop.yaml:0:0: E004 skipped: a symbolic link that loops",
        f"{folder}/ok.yaml:2:1: E003 standard 'test-conversion' version '1' is also defined in {folder}/inside.yml; "
        "give this one a new version",
        f"{folder}/outside.yaml:0:0: E004 skipped: a symbolic link that leads outside the folder being checked",
        f"{folder}/pipe.yaml:0:0: E004 skipped: a FIFO (named pipe), not a regular file",
        f"{folder}/real/up:0:0: E004 skipped: a symbolic link that loops (to a folder above it)",
        f"{folder}/sub:0:0: E004 skipped: a symbolic link that leads outside the folder being checked",
    ]


def test_an_endless_file_is_read_up_to_the_limit():
    assert [str(d) for d in creditrules.validate(["/dev/zero"])] == [
        "/dev/zero:1:1: Y005 this is not a regular file, and it gives more than 2097152 bytes, the limit for one "
        "file; reading stopped there"]


def test_file_too_big(tmp_path: Path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * _yaml.MAX_FILE_BYTES + b"\n")
    size = path.stat().st_size
    diagnostics = creditrules.validate([path])
    assert [str(d) for d in diagnostics] == [
        f"{path}:1:1: Y005 the file is {size} bytes, over the limit of 2097152; split it or raise CREDITRULES_MAX_FILE_BYTES"]


def test_too_many_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # the real limit is 200,000 values, which takes seconds to parse; the check is the same
    monkeypatch.setattr(_yaml, "MAX_NODES", 50)
    path = tmp_path / "many.yaml"
    path.write_text("id: x\nlevels: [" + ", ".join(["a"] * 60) + "]\n", encoding="utf-8")
    diagnostics = creditrules.validate([path])
    # root mapping, id, levels and 47 items are 50 values: the 48th item (column 10 + 3 × 47) is one too many
    assert [str(d) for d in diagnostics] == [
        f"{path}:2:151: Y005 the document has more than 50 values; split it into smaller standards"]


# ---------------------------------------------------------------- the command line

@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_validate_reports_located_messages(case: Path):
    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(["validate", str(case)], out, err)
    except BaseException as exc:  # any escape is a traceback for the user
        pytest.fail(f"'creditrules validate {case}' crashed: {type(exc).__name__}: {exc}")
    printed = out.getvalue()
    assert "Traceback" not in printed + err.getvalue()
    assert err.getvalue() == ""
    for file, line in expected(case):
        path = case if not file else case / file
        assert f"{path.as_posix()}:{line}\n" in printed
    last = printed.splitlines()[-1]
    errors = sum(1 for _, line in expected(case) if _is_error(line))
    warnings = len(expected(case)) - errors
    allowed = len(check([case]).allowed)
    suffix = f", {allowed} allowed by comments" if allowed else ""
    if _has_error(case):
        assert code == 1
        assert last == f"{errors} error(s), {warnings} warning(s){suffix}"
    else:
        assert code == 0
        assert re.fullmatch(rf"ok: \d+ standard file\(s\) valid, {warnings} warning\(s\){suffix}", last)
