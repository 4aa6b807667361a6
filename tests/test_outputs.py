"""Output paths: no command overwrites an input or another output, whatever the path it is given
by; symlinks are written through, devices written straight to, FIFOs and folders refused; '-' is
standard output. One policy (creditrules.outputs) for batch, schema and init."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cli_run import run
from creditrules.outputs import OutputError, check_outputs

ROOT = Path(__file__).resolve().parents[1]
STANDARD = "yrd-computer-application"
ROW = {"learner": "L1", "id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15", "verified": True}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CREDITRULES_STANDARDS", str(ROOT / "standards"))
    monkeypatch.delenv("CI", raising=False)
    (tmp_path / "rows.jsonl").write_text(json.dumps(ROW, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    return tmp_path


def batch(*options: str) -> tuple[int, str, str]:
    return run("batch", "--standard", STANDARD, "--input", "rows.jsonl", "--as-of", "2025-06-30", "--workers", "1",
               *options)


def refused(message: str) -> tuple[int, str, str]:
    return 2, "", f"creditrules: {message}\n"


# ---------------------------------------------------------------- collisions

def test_an_output_on_the_input_through_another_path_is_refused(folder: Path):
    assert batch("--output", "out/../rows.jsonl") == refused(
        "--output 'out/../rows.jsonl' is the same file as the input 'rows.jsonl'; it would be overwritten, so "
        "choose another name")


def test_an_output_on_the_input_through_a_symlink_or_a_hard_link_is_refused(folder: Path):
    (folder / "link.jsonl").symlink_to(folder / "rows.jsonl")
    os.link(folder / "rows.jsonl", folder / "hard.jsonl")
    assert batch("--output", "d.jsonl", "--summary", "link.jsonl") == refused(
        "--summary 'link.jsonl' is the same file as the input 'rows.jsonl'; it would be overwritten, so choose "
        "another name")
    assert batch("--output", "d.jsonl", "--awards-csv", "hard.jsonl") == refused(
        "--awards-csv 'hard.jsonl' is the same file as the input 'rows.jsonl'; it would be overwritten, so choose "
        "another name")
    assert (folder / "rows.jsonl").read_text(encoding="utf-8").startswith('{"learner": "L1"')


def test_two_outputs_in_one_file_are_refused(folder: Path):
    assert batch("--output", "d.jsonl", "--summary", "./d.jsonl") == refused(
        "--output 'd.jsonl' and --summary './d.jsonl' are the same file; choose different names")
    assert batch("--output", "d.jsonl", "--rejects", "d.jsonl") == refused(
        "--output 'd.jsonl' and --rejects 'd.jsonl' are the same file; choose different names")
    # the default rejects file is checked too
    assert batch("--output", "d.jsonl", "--awards-csv", "d.rejects.jsonl") == refused(
        "--rejects 'd.rejects.jsonl' and --awards-csv 'd.rejects.jsonl' are the same file; choose different names")


def test_an_output_on_a_standard_file_is_refused(folder: Path):
    target = ROOT / "standards" / "yangtze-delta" / "computer-application.yaml"
    before = target.read_bytes()
    code, out, err = batch("--output", "d.jsonl", "--summary", str(target))
    assert (code, out) == (2, "")
    assert err == (f"creditrules: --summary '{target}' is the same file as standard file '{target}'; it would be "
                   "overwritten, so choose another name\n")
    assert target.read_bytes() == before


# ---------------------------------------------------------------- special files

def test_a_symlink_is_written_through(folder: Path):
    (folder / "out" / "real.jsonl").write_text("old\n", encoding="utf-8")
    (folder / "d.jsonl").symlink_to(folder / "out" / "real.jsonl")
    code, _, err = batch("--output", "d.jsonl", "--rejects", "r.jsonl")
    assert (code, err) == (0, "")
    assert (folder / "d.jsonl").is_symlink()
    assert json.loads((folder / "out" / "real.jsonl").read_text(encoding="utf-8"))["learner"] == "L1"


def test_a_fifo_a_folder_and_a_missing_folder_are_refused(folder: Path):
    os.mkfifo(folder / "pipe")
    assert batch("--output", "pipe") == refused(
        "--output 'pipe' is a named pipe (FIFO), which would block the run while nothing reads it; use '-' and a "
        "shell pipe instead")
    assert batch("--output", "d.jsonl", "--summary", "out") == refused("--summary 'out' is a folder; name a file in it")
    assert batch("--output", "nowhere/d.jsonl") == refused("--output: folder 'nowhere' does not exist")
    assert run("schema", "--output", "") == refused("--output: the file name is empty")


def test_a_character_device_is_written_straight_to(folder: Path):
    code, _, err = batch("--output", "d.jsonl", "--rejects", os.devnull, "--awards-csv", os.devnull)
    assert (code, err) == (0, "")
    assert not list(folder.glob("*.partial")) and not Path(os.devnull + ".partial").exists()


# ---------------------------------------------------------------- standard output

def test_dash_is_standard_output_and_the_counts_move_to_stderr(folder: Path):
    code, out, err = batch("--output", "-", "--rejects", "r.jsonl")
    assert code == 0 and json.loads(out)["learner"] == "L1"
    assert "ok: 1 read = 1 credited + 0 earned nothing + 0 rejected" in err
    assert not (folder / "-").exists()
    code, out, err = batch("--output", "d.jsonl", "--summary", "-")
    assert code == 0 and json.loads(out)["records"]["read"] == 1 and err.startswith("standard ")


def test_only_one_output_may_be_standard_output(folder: Path):
    assert batch("--output", "-", "--rejects", "-") == refused(
        "--output and --rejects both name standard output ('-'); only one output can go there")
    assert batch("--output", "-") == refused(
        "--output - writes the decisions to standard output; name --rejects too (a file, or '-' if the decisions "
        "go to a file)")


def test_schema_and_init_follow_the_same_rules(folder: Path):
    code, out, _ = run("schema", "--output", "-")
    assert code == 0 and json.loads(out)["$schema"]
    assert not (folder / "-").exists()
    os.mkfifo(folder / "pipe")
    assert run("schema", "--output", "pipe")[2].startswith("creditrules: --output 'pipe' is a named pipe (FIFO)")
    (folder / "schema.json").write_text("{}", encoding="utf-8")
    assert run("init", "ah-demo", "--kind", "base", "--output", "schema.json", "--schema", "schema.json") == refused(
        "--output 'schema.json' is the same file as the --schema file 'schema.json'; it would be overwritten, so "
        "choose another name")
    code, out, _ = run("init", "ah-demo", "--kind", "base", "--output", "-")
    assert code == 0 and "\nid: ah-demo\n" in out and not (folder / "-").exists()


def test_the_library_refuses_dash_as_a_file_name(tmp_path: Path):
    with pytest.raises(OutputError) as info:
        check_outputs([("output", "-")], streams=False)
    assert str(info.value) == "output: '-' (standard output) cannot be used here; name a file"


def test_a_socket_and_a_path_through_a_file_are_refused(folder: Path):
    import socket

    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind("sock")
        assert batch("--output", "sock") == refused("--output 'sock' is a socket; name a regular file")
    finally:
        server.close()
    assert batch("--output", "rows.jsonl/d.jsonl") == refused("--output 'rows.jsonl/d.jsonl': Not a directory")
