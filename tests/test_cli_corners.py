"""Command-line corners a careless user or an attacker reaches (issue 12, item 18): empty
options, endless files, unknown bases, numeric ids, files of a hundred thousand mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_run import run

ROOT = Path(__file__).resolve().parents[1]
STANDARD = "yrd-computer-application"
LEARNER = "examples/student-1x.yaml"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)


@pytest.mark.parametrize("value", ["", "   ", "\u3000"])
def test_an_empty_course_is_refused(value: str):
    assert run("explain", "--standard", STANDARD, "--learner", LEARNER, "--as-of", "2025-06-30",
               "--course", value) == (2, "", "creditrules: --course is empty; give a course code, e.g. --course C201\n")


def test_an_empty_achievement_is_refused():
    assert run("explain", "--standard", STANDARD, "--learner", LEARNER, "--as-of", "2025-06-30",
               "--achievement", "") == (2, "", "creditrules: --achievement is empty; give an achievement id, e.g. "
                                               "--achievement A1\n")


def test_a_course_typed_full_width_is_the_course():
    typed = run("explain", "--standard", STANDARD, "--learner", LEARNER, "--as-of", "2025-06-30", "--course", "Ｃ２０１ ")
    plain = run("explain", "--standard", STANDARD, "--learner", LEARNER, "--as-of", "2025-06-30", "--course", "C201")
    assert typed == plain and plain[0] == 0 and "C201" in plain[1]


def test_a_course_in_the_wrong_letter_case_gets_a_suggestion():
    code, _, err = run("explain", "--standard", STANDARD, "--learner", LEARNER, "--as-of", "2025-06-30",
                       "--course", "c201")
    assert (code, err) == (2, "creditrules: --course: 'c201' is not a course of program 510201 (Computer Application "
                              "Technology) (did you mean 'C201'?)\n")


def test_a_forged_line_in_an_option_is_shown_escaped():
    code, _, err = run("explain", "--standard", STANDARD, "--learner", LEARNER, "--as-of", "2025-06-30",
                       "--course", "C9\u2028creditrules: ok")
    assert code == 2
    assert err == ("creditrules: --course: 'C9\\u2028creditrules: ok' is not a course of program 510201 (Computer "
                   "Application Technology)\n")


def test_an_endless_learner_file():
    assert run("evaluate", "--standard", STANDARD, "--learner", "/dev/zero", "--as-of", "2025-06-30") == (
        1, "", "creditrules: /dev/zero: this is not a regular file, and it gives more than 2097152 bytes, the limit "
               "for one file; reading stopped there\n")


def test_an_endless_standard():
    assert run("validate", "/dev/zero") == (
        1, "/dev/zero:1:1: Y005 this is not a regular file, and it gives more than 2097152 bytes, the limit for one "
           "file; reading stopped there\n1 error(s), 0 warning(s)\n", "")


def test_init_extends_an_unknown_standard(tmp_path: Path):
    target = tmp_path / "new.yaml"
    assert run("init", "ah-demo", "--kind", "conversion", "--extends", "ah-bsae", "--output", str(target)) == (
        2, "", "creditrules: --extends: no standard 'ah-bsae' in standards (did you mean 'ah-base'?)\n")
    assert not target.exists()


def test_init_extends_without_a_standards_folder(tmp_path: Path):
    missing = tmp_path / "none"
    assert run("init", "ah-demo", "--kind", "conversion", "--extends", "ah-base", "--standards", str(missing)) == (
        2, "", f"creditrules: --extends: no standards folder '{missing}' to find 'ah-base' in; give it with "
               "--standards\n")


@pytest.mark.parametrize("learner_id,shown", [("12345", "12345"), ("0012", "0012")])
def test_a_numeric_learner_id_is_the_id_as_written(tmp_path: Path, learner_id: str, shown: str):
    path = tmp_path / "l.yaml"
    path.write_text(f"id: {learner_id}\nachievements:\n  - {{id: 7, code: X-WEB, level: 中级, obtained: 2024-06-15}}\n",
                    encoding="utf-8")
    code, out, err = run("evaluate", "--standard", STANDARD, "--learner", str(path), "--as-of", "2025-06-30",
                         "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["learner"], data["awards"][0]["achievements"]) == (shown, ["7"])


@pytest.mark.parametrize("text,message", [
    ('{"id": 1.5e3, "achievements": []}', "the learner's 'id' is the number 1500.0; write the id in quotes, e.g. "
                                          'id: "L-0001"'),
    ('{"id": ' + "9" * 5000 + ', "achievements": []}', "the learner's 'id' is a number of 5000 digits; write the id "
                                                        'in quotes, e.g. id: "L-0001"'),
])
def test_a_learner_id_that_cannot_be_an_id(tmp_path: Path, text: str, message: str):
    path = tmp_path / "l.json"
    path.write_text(text, encoding="utf-8")
    assert run("evaluate", "--standard", STANDARD, "--learner", str(path), "--as-of", "2025-06-30") == (
        1, "", f"creditrules: {path}: {message}\n")


def test_a_learner_file_of_150k_unknown_keys(tmp_path: Path):
    path = tmp_path / "l.json"
    path.write_text(json.dumps({"id": "S1", **{f"k{i}": 1 for i in range(150_000)}}, separators=(",", ":")),
                    encoding="utf-8")
    assert run("evaluate", "--standard", STANDARD, "--learner", str(path), "--as-of", "2025-06-30") == (
        1, "", f"creditrules: {path}: unknown key 'k0' (and 149999 more unknown keys); a learner has id, name, "
               "achievements and context\n")


def test_a_standard_of_many_unknown_keys_gets_a_bounded_report(tmp_path: Path):
    path = tmp_path / "many.yaml"
    path.write_text("id: x\n" + "".join(f"k{i}: 1\n" for i in range(20_000)), encoding="utf-8")
    code, out, err = run("validate", str(path))
    lines = out.splitlines()
    assert (code, err, len(lines)) == (1, "", 102)
    assert lines[-2] == (f"{path}:96:1: E100 19906 more problem(s) in this file are not shown; fix the first 100, "
                         "then validate again")
    assert lines[-1] == "101 error(s), 0 warning(s)"


def test_a_reader_that_stops_early_ends_the_output_quietly():
    """`creditrules schema | head -c 10`: the reader is gone before the output is written. No traceback, and
    the shell's code for a broken pipe. (Standard output here is a pipe whose reading end is closed, so the
    first write fails whatever the timing.)"""
    import os
    import subprocess
    import sys

    script = ("import os, sys\n"
              "reading, writing = os.pipe()\n"
              "os.close(reading)\n"
              "os.dup2(writing, 1)\n"
              "sys.argv = ['creditrules', 'schema']\n"
              "from creditrules.cli import main_exit\n"
              "main_exit()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=ROOT, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert (done.returncode, done.stderr) == (141, b"")
