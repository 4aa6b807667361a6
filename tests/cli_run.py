"""Running the CLI in-process, as the tests of every command do."""

from __future__ import annotations

import io

from creditrules.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of ``creditrules ARGV``; never a traceback."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()
