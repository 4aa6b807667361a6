"""Parallel reading of a JSONL input: byte ranges aligned to line starts, exact line numbers, and outputs
byte for byte those of the serial read, whatever the file's awkward corners and the number of readers."""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.batch import evaluate_batch, ranges, readers
from creditrules.batch.readers import _range_lines
from creditrules.records import jsonl_lines
from test_batch import AS_OF, STANDARD, STUDENT, cli, jsonl, province

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def standard() -> creditrules.CompiledStandard:
    return creditrules.compile_standards(ROOT / "standards")[STANDARD]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture
def tiny_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file worth splitting, however small: each reader gets at least a byte."""
    monkeypatch.setattr(ranges, "LEAST_BYTES", 1)


# ---------------------------------------------------------------- the range splitter

def lines_by_ranges(data: bytes, path: Path, readers_wanted: int) -> list[tuple[int, bytes]]:
    """What the readers of ``path`` would route, range after range."""
    found: list[tuple[int, bytes]] = []
    spans = ranges.spans(path, readers_wanted, least=1)
    with open(path, "rb") as stream:
        for span in ranges.numbered(path, spans):
            found.extend(jsonl_lines(_range_lines(stream, span, [0]), first=span.first))
    return found


LINE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=30).map(
        lambda text: text.encode("utf-8")),
    st.binary(max_size=12).map(lambda raw: raw.replace(b"\n", b"")),  # not UTF-8, stray \r
    st.sampled_from([b"", b"\r", b"  ", "{\"learner\":\"学生\"}\r".encode(), b"\xef\xbb\xbf{}"]),
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(LINE, max_size=25), last_newline=st.booleans(), wanted=st.integers(1, 40))
def test_ranges_cover_the_file_from_line_starts_with_their_line_numbers(tmp_path_factory: pytest.TempPathFactory,
                                                                          lines: list[bytes], last_newline: bool,
                                                                          wanted: int) -> None:
    data = b"\n".join(lines) + (b"\n" if last_newline and lines else b"")
    path = tmp_path_factory.mktemp("ranges") / "rows.jsonl"
    path.write_bytes(data)
    spans = ranges.spans(path, wanted, least=1)
    numbered = list(ranges.numbered(path, spans))
    assert len(spans) <= min(wanted, ranges.MOST_READERS)
    assert [(r.start, r.end) for r in numbered] == spans
    if data:
        assert spans[0][0] == 0 and spans[-1][1] == len(data)
    else:
        assert spans == []
    for (start, end), (next_start, _) in itertools.pairwise(spans):
        assert start < end == next_start
    for span in numbered:
        assert span.start == 0 or data[span.start - 1:span.start] == b"\n"
        assert span.first == data[:span.start].count(b"\n") + 1
    with open(path, "rb") as whole:
        assert lines_by_ranges(data, path, wanted) == list(jsonl_lines(whole))


def test_a_boundary_inside_a_multibyte_character_moves_to_the_next_line(tmp_path: Path) -> None:
    first = '{"learner":"L1","event":"云计算赛项云计算赛项"}\n'.encode()
    data = first + b'{"learner":"L2" }\n'
    middle = len(data) // 2
    assert data[middle] >= 0x80 and data[middle] & 0xC0 == 0x80  # inside a 3-byte character
    path = tmp_path / "rows.jsonl"
    path.write_bytes(data)
    assert ranges.spans(path, 2, least=1) == [(0, len(first)), (len(first), len(data))]
    assert [r.first for r in ranges.numbered(path, ranges.spans(path, 2, least=1))] == [1, 2]


def test_a_boundary_right_after_a_newline_stays_there(tmp_path: Path) -> None:
    data = b'{"learner":"L1"}\r\n{"learner":"L2"}\r\n'
    path = tmp_path / "rows.jsonl"
    path.write_bytes(data)
    assert data[len(data) // 2 - 1:len(data) // 2] == b"\n"
    assert ranges.spans(path, 2, least=1) == [(0, len(data) // 2), (len(data) // 2, len(data))]


def test_a_small_file_gets_fewer_ranges_and_an_empty_one_none(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"{}\n{}")
    assert ranges.spans(path, 16, least=1) == [(0, 3), (3, 5)]
    assert ranges.spans(path, 16) == [(0, 5)]  # under LEAST_BYTES a range: read by one
    path.write_bytes(b"")
    assert ranges.spans(path, 4, least=1) == []
    path.write_bytes(b"\n" * 100)
    assert len(ranges.spans(path, 99, least=1)) == ranges.MOST_READERS


# ---------------------------------------------------------------- serial and parallel: the same bytes

def run(tmp_path: Path, standard: creditrules.CompiledStandard, source: Path, name: str,
        workers: int) -> tuple[dict[str, Any], dict[str, bytes]]:
    folder = tmp_path / name
    folder.mkdir()
    paths = {"decisions": folder / "d.jsonl", "rejects": folder / "r.jsonl", "awards": folder / "a.csv"}
    summary = evaluate_batch(source, standard, output=paths["decisions"], rejects=paths["rejects"],
                             awards_csv=paths["awards"], as_of=AS_OF, workers=workers)
    counts = summary.to_dict()
    counts.pop("workers")
    counts.pop("seconds", None)
    counts.pop("outputs")
    counts.pop("timings")
    return counts, {key: path.read_bytes() for key, path in paths.items()}


def rows_text(crlf: bool = False) -> bytes:
    rows: list[Any] = province(30, seed=3)
    rows[3:3] = ["{cut", '{"code":"X-WEB"}', "[1,2]", '{"learner":"  "}', '{"learner":"L001","id":"\\ud800"}']
    rows.insert(12, {"learner": "L002", "id": "LONG", "code": "X-WEB", "note": "长" * 70_000})
    text = jsonl(rows).encode("utf-8")
    return text.replace(b"\n", b"\r\n") if crlf else text


AWKWARD = {
    "crlf": rows_text(crlf=True),
    "no-last-newline": rows_text()[:-1],
    "cut-last-row": rows_text()[:-40],
    "blank-lines": rows_text().replace(b"\n", b"\n\n \n\r\n", 7),
    "bom-and-not-utf8": b"\xef\xbb\xbf" + rows_text().replace(b'"A3"', b'"A\xff3"', 2),
    "one-learner": jsonl([{"learner": "学生", **row} for row in STUDENT]).encode(),
    "no-learner-at-all": b'{"code":"X"}\n{cut\n\n',
    "tiny": '{"learner":"L1","id":"A1","code":"X-WEB","level":"中级","obtained":"2024-06-15"}'.encode(),
    "blank": b"\n \n",
    "empty": b"",
}


@pytest.mark.usefixtures("tiny_ranges")
@pytest.mark.parametrize("name", list(AWKWARD))
def test_outputs_are_the_bytes_of_the_serial_read(tmp_path: Path, standard: creditrules.CompiledStandard,
                                                  name: str) -> None:
    source = tmp_path / "rows.jsonl"
    source.write_bytes(AWKWARD[name])
    serial_counts, serial = run(tmp_path, standard, source, "serial", 1)
    assert serial_counts.pop("readers") == 1
    for workers in (2, 3, 7):
        counts, outputs = run(tmp_path, standard, source, f"w{workers}", workers)
        expected_readers = len(ranges.spans(source, workers, least=1))
        assert counts.pop("readers") == (expected_readers if expected_readers >= 2 else 1)
        assert counts == serial_counts
        assert outputs == serial, (name, workers)
    if name not in ("empty", "blank", "tiny"):
        assert expected_readers >= 2  # the parallel read did run (the long line takes several ranges' bytes)
    assert serial_counts["ok"]


@pytest.mark.usefixtures("tiny_ranges")
def test_rejects_keep_the_line_numbers_of_the_file(tmp_path: Path, standard: creditrules.CompiledStandard) -> None:
    """Each range's rejects carry the file's line numbers, not the range's."""
    lines = [json.dumps({"learner": f"L{n}", "id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15"})
             if n % 5 else "{broken" for n in range(1, 41)]
    source = tmp_path / "rows.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts, outputs = run(tmp_path, standard, source, "w4", 4)
    assert counts["readers"] == 4
    assert [r["line"] for r in map(json.loads, outputs["rejects"].decode().splitlines())] == list(range(5, 41, 5))


@pytest.mark.usefixtures("tiny_ranges")
def test_a_learner_whose_rows_span_every_range_keeps_them_in_line_order(tmp_path: Path,
                                                                       standard: creditrules.CompiledStandard) -> None:
    """The same achievement id twice: the conflict's reject names the rows in line order, as serially."""
    rows = [{"learner": "L1", **row} for row in STUDENT] + [{"learner": "L1", **STUDENT[0], "level": "高级"}]
    source = tmp_path / "rows.jsonl"
    source.write_text(jsonl(rows), encoding="utf-8")
    _, serial = run(tmp_path, standard, source, "serial", 1)
    counts, parallel = run(tmp_path, standard, source, "w4", 4)
    assert counts["readers"] == 4 and parallel == serial
    assert b"A1" in serial["rejects"]


def test_stdin_and_csv_and_one_worker_are_read_serially(tmp_path: Path, tiny_ranges: None) -> None:
    source = tmp_path / "rows.jsonl"
    source.write_bytes(rows_text())
    assert len(readers.parallel_spans(creditrules.RecordSource(source), 2)) == 2
    assert readers.parallel_spans(creditrules.RecordSource(source), 1) == []
    assert readers.parallel_spans(creditrules.RecordSource("-", "jsonl"), 2) == []
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text("learner,id\nL1,A1\nL2,A2\n", encoding="utf-8")
    assert readers.parallel_spans(creditrules.RecordSource(csv_file), 2) == []


# ---------------------------------------------------------------- a reader that dies

@pytest.mark.parametrize(("action", "message"), [
    ("kill", r"creditrules: reader process \d+ was killed by SIGKILL \(the out-of-memory killer sends it: try fewer "
             r"--workers, or a machine with more memory\) while reading the input from line (\d+) \(bytes (\d+) to "
             r"(\d+)\); the run was stopped and no output was written\n"),
    ("exit", r"creditrules: reader process \d+ ended with exit code 3 while reading the input from line (\d+) "
             r"\(bytes (\d+) to (\d+)\); the run was stopped and no output was written\n"),
    ("raise", r"creditrules: internal error in a reader \(ValueError: boom\); please report it\n"),
])
def test_a_reader_that_dies_stops_the_run_with_nothing_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               tiny_ranges: None, action: str, message: str) -> None:
    real = readers.route_jsonl

    def dying(lines: Any, writer: Any, rejects: Any, tick: Any) -> Any:
        found = iter(lines)
        first = next(found)
        if first[0] > 1:  # not the first range's reader
            if action == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            elif action == "exit":
                os._exit(3)
            raise ValueError("boom")
        return real([first, *found], writer, rejects, tick)

    monkeypatch.setattr(readers, "route_jsonl", dying)
    source = tmp_path / "rows.jsonl"
    source.write_text(jsonl(province(20)), encoding="utf-8")
    code, out, err = cli("batch", "--standard", STANDARD, "--input", str(source), "--output",
                         str(tmp_path / "d.jsonl"), "--awards-csv", str(tmp_path / "a.csv"), "--summary",
                         str(tmp_path / "s.json"), "--as-of", AS_OF, "--workers", "2")
    assert (code, out) == (1, "")
    found = re.fullmatch(message, err)
    assert found, err
    if action != "raise":
        line, start, end = map(int, found.groups())
        data = source.read_bytes()
        assert (start, end) == ranges.spans(source, 2, least=1)[1]
        assert line == data[:start].count(b"\n") + 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.jsonl"]


# ---------------------------------------------------------------- a file written while it is read

def _changed(path: Path, how: str) -> None:
    """Write ``path`` as an exporter run again would: rows appended, rows added on top, or (the hardest to
    see) the same bytes and times with the line ends moved."""
    data = path.read_bytes()
    if how == "appended":
        path.write_bytes(data + jsonl(province(3, seed=9)).encode())
    elif how == "one-row-on-top":
        path.write_bytes(jsonl([{"learner": "L999", **STUDENT[0]}]).encode() + data)
    else:
        times = path.stat()
        boundary = ranges.spans(path, 2, least=1)[1][0]  # the second reader's start: a newline moves past it
        path.write_bytes(data[:boundary - 1] + b" \n" + data[boundary + 1:])
        assert len(path.read_bytes()) == len(data)
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


WRITTEN_WHILE_READ = [
    ("appended", "cut", r"\d+,\d+ bytes now, \d+,\d+ when it was cut into ranges"),
    ("one-row-on-top", "cut", r"\d+,\d+ bytes now, \d+,\d+ when it was cut into ranges"),
    ("appended", "read", r"its size, modification time or file moved during the read"),
    ("line-ends-moved", "read", r"bytes [\d,]+ to [\d,]+ no longer begin and end at line ends"),
]


def _write_while_read(monkeypatch: pytest.MonkeyPatch, source: Path, how: str, when: str) -> None:
    """("cut": written between cutting the ranges and reading them; "read": while the readers read.)"""
    if when == "cut":
        real_spans = readers.spans

        def spans_then_write(*args: Any, **kwargs: Any) -> Any:
            found = real_spans(*args, **kwargs)
            _changed(source, how)
            return found

        monkeypatch.setattr(readers, "spans", spans_then_write)
    else:
        real_numbered = readers.numbered

        def numbered_then_write(*args: Any) -> Any:
            for index, span in enumerate(real_numbered(*args)):
                if index == 1:  # the first reader has started; the second starts on a changed file
                    _changed(source, how)
                yield span

        monkeypatch.setattr(readers, "numbered", numbered_then_write)


@pytest.mark.parametrize(("how", "when", "why"), WRITTEN_WHILE_READ)
def test_an_input_written_while_it_is_read_stops_the_run_with_nothing_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_ranges: None, how: str, when: str, why: str) -> None:
    """Ranges are cut once: a file written since would have rows read twice and others never, so the run stops."""
    source = tmp_path / "rows.jsonl"
    source.write_text(jsonl(province(20)), encoding="utf-8")
    _write_while_read(monkeypatch, source, how, when)
    code, out, err = cli("batch", "--standard", STANDARD, "--input", str(source), "--output",
                         str(tmp_path / "d.jsonl"), "--awards-csv", str(tmp_path / "a.csv"), "--summary",
                         str(tmp_path / "s.json"), "--as-of", AS_OF, "--workers", "2")
    assert (code, out) == (1, "")
    assert re.fullmatch(f"creditrules: {re.escape(str(source))} changed while it was read \\({why}\\); the run was "
                        "stopped and no output was written: run the batch on a copy that no program is writing\n", err), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.jsonl"]


@pytest.mark.parametrize(("how", "when", "why"), WRITTEN_WHILE_READ)
def test_the_api_raises_input_changed_whichever_check_saw_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             standard: creditrules.CompiledStandard, tiny_ranges: None,
                                                             how: str, when: str, why: str) -> None:
    source = tmp_path / "rows.jsonl"
    source.write_text(jsonl(province(20)), encoding="utf-8")
    _write_while_read(monkeypatch, source, how, when)
    with pytest.raises(readers.InputChanged, match=why):
        evaluate_batch(source, standard, output=tmp_path / "d.jsonl", as_of=AS_OF, workers=2)
    assert not (tmp_path / "d.jsonl").exists()


def test_progress_reaches_the_file_size(tmp_path: Path, standard: creditrules.CompiledStandard,
                                        tiny_ranges: None) -> None:
    source = tmp_path / "rows.jsonl"
    source.write_bytes(rows_text())
    seen: list[tuple[str, int, int | None]] = []
    evaluate_batch(source, standard, output=tmp_path / "d.jsonl", as_of=AS_OF, workers=2,
                   progress=lambda phase, at, total: seen.append((phase, at, total)))
    reading = [(at, total) for phase, at, total in seen if phase == "read"]
    assert reading[-1] == (len(source.read_bytes()), len(source.read_bytes()))
    assert [at for at, _ in reading] == sorted(at for at, _ in reading)


# ---------------------------------------------------------------- other start methods

SPAWNED_RUN = """
import multiprocessing, sys
from pathlib import Path
multiprocessing.set_start_method(sys.argv[1])
from creditrules import RecordSource, compile_standards
from creditrules.batch import evaluate_batch, ranges
ranges.LEAST_BYTES = 1  # every reader gets a range, however small the file
out = Path(sys.argv[3])
summary = evaluate_batch(RecordSource(sys.argv[2]), compile_standards("standards")[sys.argv[4]],
                         output=out / "d.jsonl", rejects=out / "r.jsonl", awards_csv=out / "a.csv",
                         as_of=sys.argv[5], workers=int(sys.argv[6]))
print(summary.readers, summary.ok)
"""


def run_afresh(folder: Path, source: Path, method: str, workers: int, readers_expected: int,
              hash_seed: str = "0") -> dict[str, bytes]:
    """A batch in a new interpreter, its processes started by ``method``: its three output files."""
    folder.mkdir()
    done = subprocess.run([sys.executable, "-c", SPAWNED_RUN, method, str(source), str(folder), STANDARD, AS_OF,
                           str(workers)], check=False, capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": hash_seed})
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{readers_expected} True\n", "")
    return {name: (folder / name).read_bytes() for name in ("d.jsonl", "r.jsonl", "a.csv")}


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_readers_and_workers_started_afresh_give_the_bytes_of_fork(tmp_path: Path, method: str) -> None:
    """Python 3.14 starts processes with forkserver on Linux, macOS and Windows with spawn: nothing a reader
    or a worker needs may come from the parent's memory, only from what it is sent."""
    source = tmp_path / "rows.jsonl"
    source.write_bytes(rows_text())
    outputs = {}
    for how in ("fork", method):
        outputs[how] = run_afresh(tmp_path / how, source, how, workers=2, readers_expected=2)
    assert outputs[method] == outputs["fork"]
    assert outputs["fork"]["d.jsonl"].count(b"\n") == 30


def test_same_bytes_whatever_the_hash_seed_the_workers_and_the_order_of_learners(tmp_path: Path) -> None:
    """Partitions come from the learner id's CRC-32, never from Python's seeded hash; the merge orders learners
    by id, so neither the seed, nor the workers, nor where a learner's rows stand in the file shows."""
    rows: list[Any] = province(60, seed=5)
    rows[7:7] = ["{cut", {"learner": "=cmd|' /C calc'!A0", **STUDENT[0]}, {"learner": "学生\t2", **STUDENT[1]}]
    forward = tmp_path / "forward.jsonl"
    forward.write_text(jsonl(rows), encoding="utf-8")
    by_learner = sorted(range(len(rows)), key=lambda n: (-n % 7, n))  # learners interleaved otherwise
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text(jsonl([rows[n] for n in by_learner if not isinstance(rows[n], str)]), encoding="utf-8")
    first = run_afresh(tmp_path / "a", forward, "fork", workers=1, readers_expected=1, hash_seed="1")
    for name, source, workers, readers_expected, seed in [("b", forward, 2, 2, "2"), ("c", shuffled, 3, 3, "3"),
                                                          ("d", shuffled, 1, 1, "4242")]:
        outputs = run_afresh(tmp_path / name, source, "fork", workers, readers_expected, seed)
        assert outputs["d.jsonl"] == first["d.jsonl"], name
        assert outputs["a.csv"] == first["a.csv"], name
    assert first["d.jsonl"].count(b"\n") == 62
