"""``creditrules test`` (issue 9, item 13): cases are decided against the standards where they are; one case
file may test several standards; a case names the rule, limit or conditions that stopped an achievement, and
says "any k of these n" where a tie makes the choice immaterial. Exact messages throughout."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cli_run import run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)


def _copy(tmp_path: Path) -> Path:
    """The Yangtze-delta standards, renamed ``yrd-ca-copy``, in a project of their own outside ./standards."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "standards" / "yangtze-delta", project / "standards")
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    for path in (project / "standards").glob("computer-application*.yaml"):
        text = path.read_text(encoding="utf-8").replace("\nid: yrd-computer-application\n", "\nid: yrd-ca-copy\n")
        path.write_text(text.replace("standard: yrd-computer-application\n", "standard: yrd-ca-copy\n"),
                        encoding="utf-8")
    shutil.copytree(ROOT / "examples", project / "examples")
    for path in (project / "standards").glob("*.cases.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("../../examples/", "../examples/"),
                        encoding="utf-8")
    return project / "standards"


def test_a_folder_of_standards_and_cases_is_decided_against_its_own_standards(tmp_path: Path):
    folder = _copy(tmp_path)
    code, out, err = run("test", str(folder))
    assert (code, err) == (0, "")
    assert out.startswith(f"{out.split(' ')[0]} case(s): {out.split(' ')[0]} passed, 0 failed\n")
    covered = re.search(r"^rule coverage: (\d+) of (\d+) rules awarded by some case \(100\.0%\)$", out, re.MULTILINE)
    assert covered is not None and covered[1] == covered[2], out


def test_the_same_folder_run_from_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = _copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run("test", str(folder))
    assert (code, err) == (0, "")
    assert " 0 failed\n" in out


def test_a_checkout_is_decided_against_its_standards_folder_not_its_examples(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch):
    folder = _copy(tmp_path)
    code, out, err = run("test", str(folder.parent))
    assert (code, err) == (0, "")
    assert " 0 failed\n" in out
    monkeypatch.chdir(folder.parent)
    code, out, err = run("test", ".")
    assert (code, err) == (0, "")
    assert " 0 failed\n" in out


def test_cases_with_no_standards_beside_them_and_none_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "x.cases.yaml").write_text("standard: yrd-computer-application\ncases: []\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("test", "x.cases.yaml") == (
        2, "", "creditrules: no standards to decide the cases in x.cases.yaml against: none beside them, and no "
               "folder 'standards' here; give --standards DIR\n")


def test_explicit_standards_win(tmp_path: Path):
    folder = _copy(tmp_path)
    code, out, _ = run("test", str(folder), "--standards", "standards")
    assert code == 1
    assert "cannot run the case: no standard 'yrd-ca-copy'" in out


def _cases(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


SEVERAL = """\
cases:
  - name: a Web certificate, under the 2024 computer-application standard
    standard: yrd-computer-application
    as_of: 2025-06-30
    learner: {id: T1, achievements: [{id: A1, code: X-WEB, level: 中级, obtained: 2024-06-15}]}
    expect: {total: 8}
  - name: a farmer, under the 2024 agriculture standard
    standard: ah-farmer-agri
    as_of: 2025-06-30
    learner: {id: T2, achievements: []}
    expect: {total: 0}
"""


def test_one_case_file_may_test_several_standards(tmp_path: Path):
    code, out, err = run("test", str(_cases(tmp_path, SEVERAL)))
    assert (code, err) == (0, "")
    assert out.startswith("2 case(s): 2 passed, 0 failed\n")


def test_a_case_without_a_standard(tmp_path: Path):
    path = _cases(tmp_path, SEVERAL.replace("    standard: ah-farmer-agri\n", ""))
    code, out, _ = run("test", str(path))
    assert code == 1
    assert out.startswith(f"ERROR {path}:7: case 'a farmer, under the 2024 agriculture standard' needs "
                          "'standard: <id>', in the case or at the top of the file\n")


def test_an_unknown_top_level_key(tmp_path: Path):
    path = _cases(tmp_path, "standards: [yrd-computer-application]\n" + SEVERAL)
    code, out, _ = run("test", str(path))
    assert code == 1
    assert out.startswith(f"ERROR {path}:1:1: unknown key 'standards' in a case file (use standard, cases)\n")


SAME_EVENT = """\
standard: yrd-computer-application
cases:
  - name: two awards of one event
    as_of: 2025-06-30
    learner:
      id: T3
      achievements:
        - {id: P1, code: COMP-VOC, tier: 省级, award: 二等奖, event: e, organizer: government, obtained: 2024-11-20}
        - {id: P2, code: COMP-VOC, tier: 省级, award: 二等奖, event: e, organizer: government, obtained: 2025-04-20}
        - {id: W1, code: X-WEB, level: 中级, obtained: 2021-06-01}
    expect:
      awards:
        - {rule: competition-provincial, achievements: AWARDED}
      unused:
UNUSED
"""


def _same_event(tmp_path: Path, awarded: str, unused: str) -> tuple[int, str, str]:
    text = SAME_EVENT.replace("AWARDED", awarded).replace("UNUSED\n", unused)
    return run("test", str(_cases(tmp_path, text)))


def test_any_k_of_n_and_what_stopped_an_achievement(tmp_path: Path):
    code, out, err = _same_event(tmp_path, "{any: 1, of: [P1, P2]}", """\
        - {achievements: {any: 1, of: [P1, P2]}, reason: limit, limit: same-competition, rule: competition-provincial}
        - {achievement: W1, reason: conditions, rule: web-core, failed: [obtained]}
""")
    assert (code, err) == (0, ""), out
    code, out, err = _same_event(tmp_path, "{any: 1, of: [P1, P2]}", """\
        - {achievements: {any: 1, of: [P1, P2]}, limit: {kind: group, group: same-competition}}
        - {achievement: W1, failed: obtained}
""")
    assert (code, err) == (0, ""), out


def test_what_stopped_an_achievement_when_it_differs(tmp_path: Path):
    code, out, _ = _same_event(tmp_path, "{any: 2, of: [P1, P2]}", """\
        - {achievements: {any: 2, of: [P1, P2]}, reason: limit}
        - {achievement: W1, reason: conditions, rule: web-foundation, failed: [level]}
        - {achievement: P2, limit: total}
        - {achievement: P1, reasons: limit}
""")
    assert code == 1
    lines = out.split("\n")
    start = lines.index("  unused: expected any 2 of [P1, P2] with reason limit, got 1: [P2]")
    assert lines[start:start + 5] == [
        "  unused: expected any 2 of [P1, P2] with reason limit, got 1: [P2]",
        "  unused W1: expected rule 'web-foundation', got 'web-core'",
        "  unused W1: expected failed conditions [level], got [obtained]",
        "  unused P2: expected limit total, got {kind: group, group: same-competition, value: e}",
        "  unknown unused key 'reasons' (use reason, rule, limit, failed)",
    ]
    assert "    - {rule: competition-provincial, achievements: {'any': 2, 'of': ['P1', 'P2']}}" in lines


def test_unused_entries_that_name_no_achievement(tmp_path: Path):
    code, out, _ = _same_event(tmp_path, "[P1]", "        - {reason: limit}\n")
    assert code == 1
    assert ("  each entry of a list under 'unused' needs 'achievement: <id>' or 'achievements: {any: k, of: [...]}'"
            in out.split("\n"))
