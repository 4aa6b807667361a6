"""Load test of ``creditrules serve``: concurrent clients for a bounded time, against in-process evaluate.

    python bench/serve.py [--seconds 10] [--clients 16] [--max-requests 20000] [--trace full] [--body yaml|json]

Starts ``creditrules serve`` in a subprocess on 127.0.0.1 and a free port, then for at most
``--seconds`` (and at most ``--max-requests`` requests) keeps ``--clients`` concurrent HTTP/1.1 clients
(httpx, keep-alive) posting the sample 1+X student (its YAML file, or the same record as JSON) to
``/v1/standards/yrd-computer-application/evaluate``. Every answer must be 200 and the very bytes
``evaluate --format json`` gives (checked against the in-process result): the run fails (exit 1) on
any error. Prints latency p50/p95/p99, requests per second, and the same run's in-process rates —
``evaluate()`` alone, and the server's whole per-request work (read the body, evaluate, write the
JSON) — so the ratio says what HTTP costs on this machine. The clients share the machine with the
server (two cores here): the figures are a floor. Run by hand; never as a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import httpx

import creditrules
from creditrules.learner import parse_learner_bytes

STANDARD = "yrd-computer-application"
LEARNER = ROOT / "examples" / "student-1x.yaml"
AS_OF = "2025-06-30"


def learner_body(kind: str) -> bytes:
    """The sample learner as the request body: its YAML file, or the same record as JSON."""
    if kind == "yaml":
        return LEARNER.read_bytes()
    from creditrules import _yaml

    parsed = _yaml.parse(LEARNER.read_text(encoding="utf-8"), str(LEARNER))
    assert not isinstance(parsed, creditrules.Diagnostic)
    return json.dumps(parsed.data, ensure_ascii=False, default=str).encode("utf-8")


def in_process(seconds: float, trace: str, kind: str) -> tuple[float, float, bytes]:
    """Evaluations per second in this process: evaluate() alone, and body → learner → decision → JSON."""
    standard = creditrules.compile_standards([ROOT / "standards"])[STANDARD]
    body, source = learner_body(kind), f"learner.{kind}"
    learner = parse_learner_bytes(body, source)
    rates = []
    for whole in (False, True):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            if whole:
                creditrules.evaluate(standard, parse_learner_bytes(body, source), AS_OF,
                                     trace=trace).to_json()  # type: ignore[arg-type]
            else:
                creditrules.evaluate(standard, learner, AS_OF, trace=trace)  # type: ignore[arg-type]
            count += 1
        rates.append(count / (time.perf_counter() - start))
    expected = creditrules.evaluate(standard, learner, AS_OF, trace=trace).to_json()  # type: ignore[arg-type]
    return rates[0], rates[1], expected.encode()


def start_server() -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "creditrules", "serve", "--standards", str(ROOT / "standards"), "--host", "127.0.0.1",
         "--port", "0", "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    line = process.stderr.readline()
    if " at http://127.0.0.1:" not in line:
        process.kill()
        raise SystemExit(f"the server did not start: {line}{process.stderr.read()}")
    return process, line.split(" at ")[1].split()[0]


async def load(url: str, clients: int, seconds: float, max_requests: int, trace: str, kind: str,
               expected: bytes) -> tuple[list[float], list[str], float]:
    body = learner_body(kind)
    latencies: list[float] = []
    errors: list[str] = []
    sent = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        start = time.perf_counter()
        deadline = start + seconds

        async def one_client() -> None:
            nonlocal sent
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                began = time.perf_counter()
                try:
                    response = await client.post(f"/v1/standards/{STANDARD}/evaluate",
                                                 params={"as_of": AS_OF, "trace": trace}, content=body,
                                                 headers={"content-type": f"application/{kind}"})
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                latencies.append(time.perf_counter() - began)
                if response.status_code != 200 or response.content != expected:
                    errors.append(f"{response.status_code} {response.text[:200]}")

        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.perf_counter() - start
    return latencies, errors, elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="how long the load lasts (default: 10)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default: 16)")
    parser.add_argument("--max-requests", type=int, default=20000, help="stop after this many (default: 20000)")
    parser.add_argument("--trace", choices=("full", "compact", "none"), default="full")
    parser.add_argument("--body", choices=("yaml", "json"), default="yaml", help="the learner's format (default: yaml)")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"{STANDARD}, {LEARNER.name} as {args.body}, trace {args.trace}")
    alone, whole, expected = in_process(min(3.0, args.seconds), args.trace, args.body)
    print(f"in-process: evaluate() {alone:,.0f}/s; read body + evaluate + JSON {whole:,.0f}/s (one thread)")
    process, url = start_server()
    try:
        latencies, errors, elapsed = asyncio.run(load(url, args.clients, args.seconds, args.max_requests,
                                                      args.trace, args.body, expected))
    finally:
        process.terminate()
        process.communicate(timeout=60)
    done = len(latencies)
    rate = done / elapsed
    print(f"served {done:,} requests in {elapsed:.1f} s with {args.clients} clients: {rate:,.0f} requests/s, "
          f"{len(errors)} error(s)")
    if latencies:
        print(f"latency ms: p50 {percentile(latencies, 0.50) * 1e3:.1f}  p95 {percentile(latencies, 0.95) * 1e3:.1f}"
              f"  p99 {percentile(latencies, 0.99) * 1e3:.1f}  mean {statistics.fmean(latencies) * 1e3:.1f}"
              f"  max {max(latencies) * 1e3:.1f}")
        print(f"server / in-process: {rate / whole:.2f} of read+evaluate+JSON, {rate / alone:.2f} of evaluate()")
    for error in errors[:5]:
        print(f"error: {error}")
    return 1 if errors or not latencies else 0


if __name__ == "__main__":
    sys.exit(main())
