"""``creditrules test`` on a hostile pull request: case files cannot read outside the project,
and no message shows the content of a file (docs/security.md)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_run import run

ROOT = Path(__file__).resolve().parents[1]
SECRET = "hunter2-SECRET-TOKEN"
CASE = """\
standard: yrd-computer-application
cases:
  - name: reach
    as_of: 2025-06-30
    learner_file: {path}
    expect: {{total: 0}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """tmp/secret.yaml and tmp/secret.txt beside a checked folder tmp/checked (no project marker)."""
    (tmp_path / "secret.yaml").write_text(f"id: {SECRET}\nachievements: []\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text(f"TOKEN={SECRET}\nmore: {SECRET}\n", encoding="utf-8")
    (tmp_path / "checked").mkdir()
    return tmp_path / "checked"


def _test(folder: Path, learner_path: str) -> tuple[int, str, str]:
    case = folder / "x.cases.yaml"
    case.write_text(CASE.format(path=learner_path), encoding="utf-8")
    code, out, err = run("test", str(folder), "--standards", str(ROOT / "standards"))
    assert SECRET not in out + err
    return code, out, err


def _cannot_run(folder: Path, message: str) -> str:
    return (f"  cannot run the case: {folder / 'x.cases.yaml'}:3: case 'reach': {message}")


@pytest.mark.parametrize("written", ["../secret.yaml", "../secret.txt", "sub/../../secret.yaml",
                                     "../checked/../secret.yaml"])
def test_a_path_up_and_out_is_refused(project: Path, written: str):
    code, out, _ = _test(project, written)
    assert code == 1
    assert out.split("\n")[1] == _cannot_run(project, f"learner_file '{written}' leads outside the folder being "
                                                      f"checked ({project}); put the learner file inside it")


def test_an_absolute_path_is_refused(project: Path):
    written = str(project.parent / "secret.yaml")
    code, out, _ = _test(project, written)
    assert code == 1
    assert out.split("\n")[1] == _cannot_run(project, f"learner_file '{written}' is an absolute path; write a "
                                                      f"path relative to the case file, inside {project}")


def test_a_symbolic_link_leading_out_is_refused(project: Path):
    os.symlink(project.parent / "secret.yaml", project / "learner.yaml")
    code, out, _ = _test(project, "learner.yaml")
    assert code == 1
    assert out.split("\n")[1] == _cannot_run(project, f"learner_file 'learner.yaml' leads outside the folder being "
                                                      f"checked ({project}); put the learner file inside it")


def test_a_version_control_folder_is_refused(project: Path):
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text(f"[http]\n\textraheader = AUTHORIZATION: {SECRET}\n", encoding="utf-8")
    code, out, _ = _test(project, ".git/config")
    assert code == 1
    assert out.split("\n")[1] == _cannot_run(project, "learner_file '.git/config' is inside a version-control "
                                                      "folder; put the learner file beside the cases")


def test_a_file_inside_that_is_not_a_learner_is_not_shown(project: Path):
    (project / "notes.txt").write_text(f"{SECRET} {SECRET}\n", encoding="utf-8")
    code, out, _ = _test(project, "notes.txt")
    assert code == 1
    assert out.split("\n")[1] == (f"  cannot run the case: {project / 'notes.txt'}: a learner record must be a "
                                  "mapping with 'id' and 'achievements', not text")


def test_inside_a_project_the_whole_project_is_reachable(tmp_path: Path):
    """In a checkout (here marked by pyproject.toml) cases may name learner files anywhere in it,
    as the repository's own cases name ../../examples/."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "l.yaml").write_text("id: L1\nachievements: []\n", encoding="utf-8")
    folder = tmp_path / "standards" / "here"
    folder.mkdir(parents=True)
    code, out, _ = _test(folder, "../../examples/l.yaml")
    assert (code, out.split("\n")[0]) == (0, "1 case(s): 1 passed, 0 failed")


def test_a_case_file_linked_from_outside_is_skipped_and_reported(project: Path):
    (project.parent / "outside.cases.yaml").write_text(CASE.format(path="x"), encoding="utf-8")
    os.symlink(project.parent / "outside.cases.yaml", project / "in.cases.yaml")
    code, out, _err = run("test", str(project), "--standards", str(ROOT / "standards"))
    assert code == 1
    assert out.split("\n")[0] == (f"ERROR {project / 'in.cases.yaml'}: skipped: a symbolic link that leads outside "
                                  "the folder being checked")


def test_an_endless_case_file_is_read_up_to_the_limit():
    code, out, _ = run("test", "/dev/zero", "--standards", str(ROOT / "standards"))
    assert code == 1
    assert out.split("\n")[0] == ("ERROR /dev/zero:1:1: Y005 this is not a regular file, and it gives more than "
                                  "2097152 bytes, the limit for one file; reading stopped there")


def test_as_of_is_a_day(project: Path):
    (project / "x.cases.yaml").write_text(CASE.format(path="x").replace("2025-06-30", "2025-06-30T00:00:00Z"),
                                          encoding="utf-8")
    code, out, _ = run("test", str(project), "--standards", str(ROOT / "standards"))
    assert code == 1
    assert out.split("\n")[0] == (f"ERROR {project / 'x.cases.yaml'}:3: case 'reach' needs 'as_of: YYYY-MM-DD': "
                                  "'2025-06-30T00:00:00Z' has a time of day; write the day only, e.g. 2025-06-30")
