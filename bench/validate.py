"""How long ``creditrules validate`` takes on the whole standards/ tree, stage by stage.

    python bench/validate.py [--runs 7] [PATH ...]

Prints the median time of loading (strict YAML and the format), compiling, the static
analysis, and the whole of ``validate`` in one process, and the wall-clock time of the
command itself (Python start-up and imports included). Run by hand; never as a timed test.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]

started = time.perf_counter()  # the imports below are what is timed
from creditrules.analysis import analyse
from creditrules.api import check
from creditrules.compiler import compile_library
from creditrules.loader import load_partial

imported = time.perf_counter() - started


def _median(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "standards")])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    library, _, failed = load_partial(args.paths)
    compiled = compile_library(library, failed)
    result = check(args.paths)
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}; "
          f"{result.files} standard files, {sum(len(s.rules) for f in library.files for s in [f.standard])} rules")
    print(f"import creditrules      {imported * 1000:7.0f} ms (once per process)")
    print(f"load (YAML + format)    {_median(args.runs, lambda: load_partial(args.paths)) * 1000:7.0f} ms")
    print(f"compile                 {_median(args.runs, lambda: compile_library(library, failed)) * 1000:7.0f} ms")
    print(f"static analysis         {_median(args.runs, lambda: analyse(library, compiled)) * 1000:7.0f} ms")
    print(f"validate, in process    {_median(args.runs, lambda: check(args.paths)) * 1000:7.0f} ms")
    command = [sys.executable, "-m", "creditrules", "validate", "--strict", *args.paths]
    wall = _median(max(3, args.runs // 2), lambda: subprocess.run(command, capture_output=True, check=False))
    print(f"creditrules validate    {wall * 1000:7.0f} ms (the command, start-up included)")


if __name__ == "__main__":
    main()
