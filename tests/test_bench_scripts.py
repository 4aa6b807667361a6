"""Every script under bench/ still runs, on a tiny workload: a measurement nobody can run measures nothing.

The figures are not checked (they are the machine's, and never timed in tests); what is checked is
that each script ends cleanly and prints the line its readers look for. ``bench/solver.py`` once
stopped running unnoticed when the allocator gained an argument its swap did not take.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPTS = [
    (["evaluate.py", "--seconds", "0.2"], "learners per CPU second"),
    (["core.py", "--seconds", "0.05", "--rounds", "1"], "bytes per added record"),
    (["solver.py", "--learners", "3", "--repeats", "1"], "== 2. the cliff"),
    (["scale.py", "--seconds", "0.05", "--sizes", "3000", "--workers", "1,2"], "targets: 10M rows"),
    (["backends.py", "--seconds", "0.2", "--learners", "5"], "matching only, durable"),
    (["validate.py", "--runs", "1"], "creditrules validate"),
    (["encode.py", "--learners", "10", "--rounds", "1"], "per learner"),
    (["serve.py", "--seconds", "1", "--clients", "2", "--max-requests", "50"], "server / in-process"),
]


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TMPDIR=str(tmp_path))
    return subprocess.run([sys.executable, str(ROOT / "bench" / args[0]), *args[1:]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize(("args", "expected"), SCRIPTS, ids=[s[0][0] for s in SCRIPTS])
def test_the_script_runs_and_reports(args: list[str], expected: str, tmp_path: Path):
    done = _run(args, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert expected in done.stdout


def test_the_province_is_the_same_rows_for_the_same_seed(tmp_path: Path):
    first, second = (_run(["province.py", "--output", "-", "--learners", "20", "--achievements", "100"], tmp_path)
                     for _ in range(2))
    assert first.returncode == 0, first.stderr[-3000:]
    assert first.stdout == second.stdout
    lines = first.stdout.splitlines()
    assert len(lines) == 100
    readable = [json.loads(line) for line in lines if line.startswith("{") and line.endswith("}")]
    assert len({row["learner"] for row in readable if isinstance(row, dict) and "learner" in row}) <= 20
