"""The CI examples, the pre-commit hooks and .ci/run say things that work: each is valid YAML of the right
shape, and every creditrules command in them is one the command line accepts (the ones that need no git
are also run)."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest
import yaml

from creditrules.cli import _parser, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)


def _yaml_blocks(path: Path) -> list[str]:
    """Fenced ```yaml blocks; a fence is a line that starts with the backticks."""
    blocks, current = [], None
    for line in path.read_text(encoding="utf-8").split("\n"):
        if current is None and line.strip() == "```yaml":
            current = []
        elif current is not None and line.startswith("```"):
            blocks.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def _invocations(script: str) -> list[list[str]]:
    """Every 'creditrules …' command in a shell script, as argv (after 'creditrules'), with CI variables
    replaced by a branch name and shell redirections dropped."""
    script = re.sub(r"\$\{\{[^}]*\}\}", "main", script)
    script = re.sub(r"\$\{?[A-Z_]+\}?", "main", script)
    found = []
    for line in script.split("\n"):
        for part in re.split(r"\|\||&&|\||;", line):
            words = shlex.split(part.split(">", 1)[0], comments=True)
            if words and words[0] == "creditrules":
                found.append(words[1:])
    return found


def _accepted(argv: list[str]) -> None:
    _parser().parse_args(argv)  # raises on anything the command line would refuse


def test_the_github_actions_example():
    workflow = yaml.safe_load(_yaml_blocks(ROOT / "docs" / "ci.md")[0])
    assert set(workflow) == {"name", True, "jobs"}  # PyYAML reads the key 'on' as true
    steps = workflow["jobs"]["check"]["steps"]
    assert all(("uses" in step) != ("run" in step) for step in steps)
    commands = [argv for step in steps if "run" in step for argv in _invocations(step["run"])]
    assert [argv[0] for argv in commands] == ["validate", "test", "diff", "validate"]
    for argv in commands:
        _accepted(argv)
    assert any("--format" in argv and "github" in argv for argv in commands)
    assert any("sarif" in argv for argv in commands)


def test_the_gitlab_example():
    pipeline = yaml.safe_load(_yaml_blocks(ROOT / "docs" / "ci.md")[1])
    job = pipeline["standards"]
    assert pipeline["stages"] == ["check"] and job["stage"] == "check"
    script = "\n".join(job["script"] + job["after_script"])
    commands = _invocations(script)
    assert [argv[0] for argv in commands] == ["validate", "test", "diff", "diff", "validate"]
    for argv in commands:
        _accepted(argv)


def test_the_pre_commit_example_names_the_hooks():
    config = yaml.safe_load(_yaml_blocks(ROOT / "docs" / "ci.md")[2])
    hooks = {h["id"] for h in config["repos"][0]["hooks"]}
    defined = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks == defined == {"creditrules-validate", "creditrules-test"}


def test_the_pre_commit_hooks_pass_on_the_sample_standards():
    for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")):
        assert set(hook) >= {"id", "name", "entry", "language", "files", "pass_filenames"}
        words = shlex.split(hook["entry"]) + hook["args"]
        assert words[0] == "creditrules"
        assert main(words[1:], io.StringIO(), io.StringIO()) == 0, hook["id"]


def test_ci_run_checks_the_standards_strictly_and_with_a_coverage_floor():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = _invocations(script)
    assert ["validate", "--strict", "standards"] in commands
    test = next(argv for argv in commands if argv[0] == "test")
    floor = float(test[test.index("--min-coverage") + 1])
    for argv in commands:
        _accepted(argv)
    assert main(test, io.StringIO(), io.StringIO()) == 0, f"coverage is below the floor {floor} of .ci/run"
