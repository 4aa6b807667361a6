"""``creditrules diff``: two versions, two folders or two git revisions, and what changes for learners."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cli_run import run

ROOT = Path(__file__).resolve().parents[1]
STANDARD = "yrd-computer-application"
VERSIONS = ["diff", "2024.1", "2026.1", "--standard", STANDARD]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)


SAMPLE_2025 = [
    "S-2024-0001, yrd-computer-application, as of 2025-06-30 (computer-application.cases.yaml: the sample 1+X "
    "student): 19.5 → 24 (+4.5), version 2024.1 → 2026.1",
    "  - competition-provincial → elective: 2 credits from A4",
    "  + competition-provincial → elective: 3 credits from A4",
    "  - external-training → elective: 2.5 credits from A6",
    "  + external-training → elective: 2 credits from A6",
    "  + programming-foundation → C102: 4 credits from A2, grade 合格",
]


def test_two_versions_of_one_standard():
    code, out, err = run(*VERSIONS)
    assert (code, err) == (0, "")
    lines = out.split("\n")
    assert lines[:13] == [
        "Credit changes from yrd-computer-application 2024.1 to yrd-computer-application 2026.1: 9 learner(s) "
        "from the decision cases, each decided on its own date",
        "",
        "  learner      standard                  as of       before  after  change",
        "  S-2024-0001  yrd-computer-application  2025-06-30    19.5     24    +4.5",
        "  T24-2        yrd-computer-application  2025-06-30      13     13       0",
        "  T24-3        yrd-computer-application  2025-06-30       8      8       0",
        "  T24-4        yrd-computer-application  2025-06-30       2      3      +1",
        "  T24-5        yrd-computer-application  2025-06-30       0      0       0",
        "  S-2024-0001  yrd-computer-application  2026-10-15    18.5     15    -3.5",
        "  T26-2        yrd-computer-application  2026-10-15      15     15       0",
        "  T26-3        yrd-computer-application  2026-10-15       8      4      -4",
        "  T26-4        yrd-computer-application  2026-10-15      14     14       0",
        "",
    ]
    assert lines[13] == ("gain credit: 2 learner(s), +5.5 credits; lose credit: 2 learner(s), -7.5 credits; "
                         "same total: 5 learner(s)")
    assert lines[15:21] == SAMPLE_2025
    assert lines[-8:] == [
        "by rule (credits awarded after minus before, all learners):",
        "  rule                    learners gaining  learners losing  credits",
        "  web-core                               0                2      -12",
        "  external-training                      0                2       -1",
        "  web-and-cloud-project                  0                0        0",
        "  competition-provincial                 3                0       +3",
        "  programming-foundation                 2                0       +8",
        "",
    ]


def test_json():
    code, out, err = run(*VERSIONS, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["old"] == {"label": "yrd-computer-application 2024.1", "kind": "version", "folder": "standards",
                           "standard": STANDARD, "version": "2024.1"}
    assert data["summary"] == {"learners": 9, "gain": 2, "lose": 2, "changed": 0, "unchanged": 5,
                               "not_compared": 0, "credits_gained": 5.5, "credits_lost": 7.5}
    sample = next(item for item in data["learners"] if item["as_of"] == "2025-06-30"
                  and item["learner"] == "S-2024-0001")
    assert (sample["status"], sample["change"], sample["old"]["total"], sample["new"]["total"]) == (
        "gains", 4.5, 19.5, 24)
    assert sample["gained"][-1] == {"rule": "programming-foundation", "target": "C102", "achievements": ["A2"],
                                    "credits": 4, "grade": "合格"}
    assert {"rule": "web-core", "learners_gaining": 0, "learners_losing": 2, "credits": -12} in data["rules"]


def test_learner_files_on_one_date():
    code, out, err = run(*VERSIONS, "--learners", "examples/student-1x.yaml", "--as-of", "2025-06-30")
    assert (code, err) == (0, "")
    lines = out.split("\n")
    assert lines[0] == ("Credit changes from yrd-computer-application 2024.1 to yrd-computer-application 2026.1: "
                        "1 learner(s) from examples/student-1x.yaml, decided on 2025-06-30")
    assert lines[3] == "  S-2024-0001  yrd-computer-application  2025-06-30    19.5     24    +4.5"


def test_a_folder_of_learners(tmp_path: Path):
    shutil.copy(ROOT / "examples" / "student-1x.yaml", tmp_path / "a.yaml")
    (tmp_path / "b.json").write_text('{"id": "J1", "achievements": []}', encoding="utf-8")
    code, out, _ = run(*VERSIONS, "--learners", str(tmp_path), "--as-of", "2025-06-30")
    assert code == 0
    assert "  J1           yrd-computer-application  2025-06-30       0      0       0" in out.split("\n")


def test_a_folder_of_learners_names_what_it_does_not_read(tmp_path: Path):
    import os
    shutil.copy(ROOT / "examples" / "student-1x.yaml", tmp_path / "a.yaml")
    os.symlink("gone.yaml", tmp_path / "b.yaml")
    os.mkfifo(tmp_path / "c.json")
    code, out, err = run(*VERSIONS, "--learners", str(tmp_path), "--as-of", "2025-06-30")
    assert code == 0
    assert err == (f"creditrules: skipped: {tmp_path}/b.yaml: a broken symbolic link (its target does not exist)\n"
                   f"creditrules: skipped: {tmp_path}/c.json: a FIFO (named pipe), not a regular file\n")
    assert "1 learner(s) from" in out.split("\n")[0]


def test_same_date_for_every_case():
    code, out, _ = run(*VERSIONS, "--as-of", "2026-09-01")
    assert code == 0
    assert out.split("\n")[0].endswith("8 learner(s) from the decision cases, all decided on 2026-09-01")


def _before_2026(root: Path) -> Path:
    """A copy of the repository's standards and examples as they were before the 2026 revision
    (with pyproject.toml, which marks the project the cases' learner files must stay in)."""
    shutil.copytree(ROOT / "standards", root / "standards")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / "examples", root / "examples")
    folder = root / "standards" / "yangtze-delta"
    (folder / "computer-application-2026.yaml").unlink()
    (folder / "computer-application-2026.cases.yaml").unlink()
    path = folder / "computer-application.yaml"
    text = path.read_text(encoding="utf-8")
    assert "effective: {from: 2024-09-01, until: 2026-08-31}" in text
    path.write_text(text.replace("effective: {from: 2024-09-01, until: 2026-08-31}", "effective: {from: 2024-09-01}"),
                    encoding="utf-8")
    return root / "standards"


def test_two_folders(tmp_path: Path):
    old = _before_2026(tmp_path / "old")
    code, out, err = run("diff", str(old), "standards", "--standard", STANDARD, "--as-of", "2026-10-15")
    assert (code, err) == (0, "")
    lines = out.split("\n")
    assert lines[0] == (f"Credit changes from {old} to standards: 8 learner(s) from the decision cases, all "
                        "decided on 2026-10-15")
    # in the old folder the 2024 version is still in force on that date (its 'until' does not matter then)
    assert "  T26-3        yrd-computer-application  2026-10-15       8      4      -4" in lines


def test_same_total_other_awards(tmp_path: Path):
    new = _before_2026(tmp_path / "new")
    path = new / "yangtze-delta" / "computer-application.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("map: {中级: 良好, 高级: 优秀}", "map: {中级: 合格, 高级: 优秀}", 1), encoding="utf-8")
    code, out, _ = run("diff", str(_before_2026(tmp_path / "old")), str(new), "--learners", "examples/student-1x.yaml",
                       "--standard", STANDARD, "--as-of", "2025-06-30")
    assert code == 0
    lines = out.split("\n")
    assert lines[5] == ("gain credit: 0 learner(s), +0 credits; lose credit: 0 learner(s), -0 credits; same total: "
                        "1 learner(s) (1 with other awards)")
    assert lines[7:12] == [
        "S-2024-0001, yrd-computer-application, as of 2025-06-30 (examples/student-1x.yaml): 19.5 → 19.5 (0), "
        "version 2024.1 → 2024.1",
        "  - web-core → C201: 4 credits from A1, grade 良好",
        "  + web-core → C201: 4 credits from A1, grade 合格",
        "  - web-core → C202: 4 credits from A1, grade 良好",
        "  + web-core → C202: 4 credits from A1, grade 合格",
    ]


def test_case_files_whose_learners_are_missing_are_skipped(tmp_path: Path):
    old = tmp_path / "old"
    shutil.copytree(ROOT / "standards" / "yangtze-delta", old)
    code, out, err = run("diff", str(old), str(old), "--standard", STANDARD)
    assert code == 0
    # the copy has no project marker (.git, pyproject.toml): the cases may not leave the folder
    outside = f"learner_file '../../examples/student-1x.yaml' leads outside the folder being checked ({old}); " \
              "put the learner file inside it"
    assert err == (f"creditrules: skipped: {old}/computer-application-2026.cases.yaml:7: case 'the sample 1+X student "
                   f"under the 2026 revision': {outside}\n"
                   f"creditrules: skipped: {old}/computer-application.cases.yaml:3: case 'the sample 1+X student': "
                   f"{outside}\n")
    assert out.split("\n")[0].endswith(": 7 learner(s) from the decision cases, each decided on its own date")


def test_a_standard_missing_on_one_side(tmp_path: Path):
    old = tmp_path / "old"
    shutil.copytree(ROOT / "standards" / "yangtze-delta", old)
    code, out, _ = run("diff", str(old), "standards", "--learners", "examples/farmer.yaml",
                       "--standard", "ah-farmer-agri", "--as-of", "2026-03-01")
    assert code == 0
    lines = out.split("\n")
    assert "  QS-F-2024-0046  ah-farmer-agri  2026-03-01       —   18.5       —" in lines
    assert lines[-3:] == [
        "QS-F-2024-0046, ah-farmer-agri, as of 2026-03-01 (examples/farmer.yaml): not compared",
        f"  before: no standard 'ah-farmer-agri' in {old}",
        "",
    ]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_two_git_revisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    repo = tmp_path / "repo"
    _before_2026(repo)
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "2024")
    for name in ("computer-application.yaml", "computer-application-2026.yaml", "computer-application-2026.cases.yaml"):
        shutil.copy(ROOT / "standards" / "yangtze-delta" / name, repo / "standards" / "yangtze-delta" / name)
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "2026")
    monkeypatch.chdir(repo)
    code, out, err = run("diff", "HEAD~1", "HEAD", "--standard", STANDARD)
    assert (code, err) == (0, "")
    lines = out.split("\n")
    assert lines[0] == ("Credit changes from HEAD~1 to HEAD: 9 learner(s) from the decision cases, each decided "
                        "on its own date")
    assert "  T26-3        yrd-computer-application  2026-10-15       8      4      -4" in lines
    code, out, _ = run("diff", "HEAD~1:standards", "HEAD:standards", "--standard", STANDARD)
    assert code == 0 and "  T26-3        yrd-computer-application  2026-10-15       8      4      -4" in out
    assert run("diff", "HEAD~1:nowhere", "HEAD") == (
        2, "", "creditrules: 'nowhere' is not a folder at revision HEAD~1\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert run("diff", "HEAD~1", "HEAD", "--standards", str(outside)) == (
        2, "", f"creditrules: --standards '{outside}' is not inside the git repository at {repo.resolve()}\n")


def test_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    assert run("diff", "2024.1", "2026.1", "--learners", "examples/student-1x.yaml") == (
        2, "", "creditrules: --learners needs --standard, the standard to decide them on\n")
    assert run(*VERSIONS, "--learners", "nowhere.yaml") == (
        2, "", "creditrules: --learners 'nowhere.yaml' does not exist\n")
    assert run("diff", "2024.9", "2026.1", "--standard", STANDARD) == (
        2, "", f"creditrules: '2024.9' is neither a folder, nor a version of '{STANDARD}', nor a git revision\n")
    assert run("diff", "standards", "standards", "--standard", "yrd-computer-aplication") == (
        2, "", f"creditrules: --standard: no standard 'yrd-computer-aplication' (did you mean '{STANDARD}'?)\n")
    assert run(*VERSIONS, "--as-of", "2026/09/01") == (
        2, "", "creditrules: --as-of: '2026/09/01' is not a date; write YYYY-MM-DD, e.g. 2024-09-01\n")
    monkeypatch.chdir(tmp_path)  # not a git repository
    assert run("diff", "HEAD~1", "HEAD") == (2, "", "creditrules: 'HEAD~1' is neither a folder, nor a git revision\n")


def test_no_learners(tmp_path: Path):
    (tmp_path / "a").mkdir()
    shutil.copy(ROOT / "standards" / "yangtze-delta" / "base.yaml", tmp_path / "a" / "base.yaml")
    assert run("diff", str(tmp_path / "a"), str(tmp_path / "a")) == (1, "", "creditrules: no learners to compare\n")


def test_the_report_in_the_docs_is_the_real_one():
    doc = (ROOT / "docs" / "impact.md").read_text(encoding="utf-8")
    command = "$ creditrules diff 2024.1 2026.1 --standard yrd-computer-application\n"
    shown = doc.split(command, 1)[1].split("```", 1)[0]
    assert run(*VERSIONS)[1] == shown
