"""The ``creditrules`` command. ``main(argv) -> int``; only this module prints or exits.

Exit codes: 0 success; 1 the input has problems (invalid standards, an
unusable learner record, no version in force); 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from . import case_report, case_runner, formats, impact, impact_report, scaffold
from . import graph as graphs
from ._version import __version__
from .api import check, compile_standards
from .backends import BACKENDS, matcher_for
from .batch import OUTPUT_FORMATS, evaluate_batch, rejects_path_for, summary_text
from .batch.job import standard_files
from .compiled import CompiledStandard
from .compiler import CompiledLibrary
from .dates import NotADay, parse_day
from .errors import CreditRulesError, Severity, StandardError, did_you_mean
from .evaluator import evaluate
from .learner import load_learner
from .loader import load_partial
from .normalise import normalise
from .outputs import STDOUT, Output, OutputError, check_outputs, write_text
from .records import FORMATS
from .render import render_explanation, render_text
from .safe_text import escape_controls
from .schema import schema_text
from .sources import SourceError, Sources

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DEFAULT_STANDARDS = "standards"


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, and prints --help/--version to the given stream."""

    out: TextIO | None = None

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message}")

    def _print_message(self, message: str, file: object = None) -> None:
        if message:
            (_Parser.out or sys.stdout).write(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="creditrules", description="Turn lifelong-learning achievements into academic credit.")
    parser.add_argument("--version", action="version", version=f"creditrules {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    validate = commands.add_parser("validate", help="check standards: format, references, inheritance, and what "
                                                    "the rules do (overlaps, gaps, limits, versions)")
    validate.add_argument("paths", nargs="*", default=None, help="standard files or folders (default: standards/)")
    validate.add_argument("--format", choices=sorted(formats.FORMATS), default="text",
                          help="text (default), json, github (workflow annotations) or sarif (SARIF 2.1.0)")
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")

    def standards_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--standards", default=os.environ.get("CREDITRULES_STANDARDS", DEFAULT_STANDARDS),
                       help="folder of standards (default: $CREDITRULES_STANDARDS or standards/)")
        p.add_argument("--standard", required=True, help="the standard's id")

    evaluate_cmd = commands.add_parser("evaluate", help="decide one learner's credit under a standard")
    standards_option(evaluate_cmd)
    evaluate_cmd.add_argument("--learner", required=True, help="learner file (YAML, or JSON by .json)")
    evaluate_cmd.add_argument("--as-of", help="application date YYYY-MM-DD (default: today)")
    evaluate_cmd.add_argument("--format", choices=("text", "json"), default="text")
    evaluate_cmd.add_argument("--lang", choices=("en", "zh"), default="en")
    evaluate_cmd.add_argument("--trace", choices=("full", "compact", "none"), default="full",
                              help="how much of the rule trace to keep (default: full)")
    evaluate_cmd.add_argument("--no-trace", action="store_true", help="leave the rule trace out of JSON output")
    evaluate_cmd.add_argument("--backend", choices=BACKENDS, default="native",
                              help="what matches rules: native (default) or durable (durable_rules, the "
                                   "creditrules[durable] extra); the decision is the same")

    explain = commands.add_parser("explain", help="explain one course or achievement of a decision in words")
    standards_option(explain)
    explain.add_argument("--learner", required=True)
    explain.add_argument("--as-of")
    subject = explain.add_mutually_exclusive_group(required=True)
    subject.add_argument("--course", help="a course code of the program")
    subject.add_argument("--achievement", help="an achievement id of the learner")
    explain.add_argument("--lang", choices=("en", "zh"), default="en")

    graph = commands.add_parser("graph", help="export the rule graph")
    standards_option(graph)
    graph.add_argument("--format", choices=sorted(graphs.EXPORTERS), default="json")

    test = commands.add_parser("test", help="run the decision cases (*.cases.yaml) and report rule coverage")
    test.add_argument("paths", nargs="*", help="case files or folders (default: the --standards folder)")
    test.add_argument("--standards", default=os.environ.get("CREDITRULES_STANDARDS", DEFAULT_STANDARDS),
                      help="folder of standards the cases run against (default: $CREDITRULES_STANDARDS or standards/)")
    test.add_argument("--min-coverage", type=_percent, metavar="N",
                      help="fail when fewer than N%% of the rules are awarded by some case")
    test.add_argument("--format", choices=("text", "json"), default="text")

    diff = commands.add_parser("diff", help="what a change of standards does to learners' credit")
    diff.add_argument("old", help="before: a folder, a version of --standard, or a git revision (REV or REV:PATH)")
    diff.add_argument("new", help="after: the same kinds of thing")
    diff.add_argument("--standards", default=os.environ.get("CREDITRULES_STANDARDS", DEFAULT_STANDARDS),
                      help="folder of standards for versions and git revisions (default: $CREDITRULES_STANDARDS "
                           "or standards/)")
    diff.add_argument("--standard", help="compare this standard only (needed to name versions, and with --learners)")
    diff.add_argument("--learners", help="a learner file, or a folder of them (default: the decision cases)")
    diff.add_argument("--as-of", help="decide every learner on this date YYYY-MM-DD (default: each case's own "
                                      "date; today with --learners)")
    diff.add_argument("--format", choices=("text", "json"), default="text")

    init = commands.add_parser("init", help="start a new standard from a commented example that validates")
    init.add_argument("id", help="the new standard's id, e.g. ah-mechatronics")
    init.add_argument("--kind", choices=scaffold.KINDS, required=True)
    init.add_argument("--extends", metavar="ID", help="the id of the standard it builds on (it must be in --standards)")
    init.add_argument("--standards", default=os.environ.get("CREDITRULES_STANDARDS", DEFAULT_STANDARDS),
                      help="folder of standards --extends is looked up in (default: $CREDITRULES_STANDARDS or "
                           "standards/)")
    init.add_argument("--output", help="write to this file (it must not exist) instead of standard output")
    init.add_argument("--from", dest="start", metavar="DATE", help="first day in force, YYYY-MM-DD (default: today)")
    init.add_argument("--schema", default="schema/standard.schema.json",
                      help="the JSON Schema the $schema line points at (default: schema/standard.schema.json)")

    schema = commands.add_parser("schema", help="print the JSON Schema of standard files (or of decisions, "
                                                "batch rejects or batch award rows)")
    which = schema.add_mutually_exclusive_group()
    which.add_argument("--decision", dest="which", action="store_const", const="decision",
                       help="the schema of a decision (evaluate --format json; a line of batch output)")
    which.add_argument("--reject", dest="which", action="store_const", const="reject",
                       help="the schema of a line of batch rejects (JSON lines)")
    which.add_argument("--award", dest="which", action="store_const", const="award",
                       help="the schema of a row of batch --awards-csv, keyed by its header")
    schema.add_argument("--output", help="write to this file instead of standard output")

    batch = commands.add_parser("batch", help="decide many learners from a file of achievement rows")
    standards_option(batch)
    batch.add_argument("--input", required=True,
                       help="achievement rows, one per line or row, each with a 'learner' id (JSONL, CSV or Parquet; "
                            "'-' reads standard input)")
    batch.add_argument("--output", required=True, help="decisions, one per learner, sorted by learner id")
    batch.add_argument("--as-of", help="application date YYYY-MM-DD (default: today)")
    batch.add_argument("--workers", type=int, help="processes to use (default: every core)")
    batch.add_argument("--trace", choices=("full", "compact", "none"), default="compact",
                       help="how much of the rule trace each decision keeps (default: compact)")
    batch.add_argument("--format", choices=OUTPUT_FORMATS, default="jsonl",
                       help="decisions as JSON lines, or as CSV with one row per learner (default: jsonl)")
    batch.add_argument("--input-format", choices=FORMATS,
                       help="format of --input (default: from its name: .csv, .parquet, else JSONL)")
    batch.add_argument("--rejects", help="records that could not be used, with the reason "
                                         "(default: OUTPUT's name + .rejects.jsonl; a .csv name gives CSV)")
    batch.add_argument("--awards-csv",
                       help="also write every award as a flat CSV, one row per course or category award")
    batch.add_argument("--summary", help="also write the run's counts as JSON to this file")
    batch.add_argument("--work-dir", help="folder for temporary partition files (default: the system's)")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _parser()
    _Parser.out = out
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        err.write(f"{exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    try:
        handler = {"validate": _validate, "evaluate": _evaluate, "explain": _explain, "graph": _graph,
                   "test": _test, "diff": _diff, "init": _init, "schema": _schema, "batch": _batch}[args.command]
        return handler(args, out, err)
    except (_UsageError, OutputError) as exc:
        err.write(f"creditrules: {escape_controls(str(exc))}\n")
        return EXIT_USAGE
    except StandardError as exc:
        for diagnostic in exc.diagnostics:
            err.write(f"{diagnostic}\n")
        errors = sum(1 for d in exc.diagnostics if d.severity is Severity.ERROR)
        err.write(f"creditrules: the standards have {errors} error(s); run 'creditrules validate'\n")
        return EXIT_PROBLEMS
    except CreditRulesError as exc:
        err.write(f"creditrules: {escape_controls(str(exc))}\n")
        return EXIT_PROBLEMS


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    result = check(args.paths or [DEFAULT_STANDARDS])
    out.write(formats.FORMATS[args.format](result, args.strict))
    return EXIT_PROBLEMS if formats.failed(result, args.strict) else EXIT_OK


def _day(text: str | None, option: str = "--as-of") -> date:
    if text is None:
        return date.today()
    day = parse_day(text)
    if isinstance(day, NotADay):
        raise _UsageError(f"{option}: {day.en}")
    return day


def _standard(args: argparse.Namespace) -> tuple[CompiledLibrary, CompiledStandard]:
    if not Path(args.standards).exists():
        raise _UsageError(f"--standards '{args.standards}' does not exist")
    library = compile_standards([args.standards])
    try:
        return library, library[args.standard]
    except KeyError as exc:
        raise _UsageError(f"--standard: {exc.args[0]}") from None


def _evaluate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    day = _day(args.as_of)
    matcher = matcher_for(args.backend)
    _, standard = _standard(args)
    learner = load_learner(args.learner)
    decision = evaluate(standard, learner, day, trace="none" if args.no_trace else args.trace, matcher=matcher)
    if args.format == "json":
        out.write(decision.to_json(trace=not args.no_trace))
    else:
        out.write(render_text(decision, standard.ruleset_for(day), args.lang))
    return EXIT_OK


def _explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    for option, what, example in (("course", "a course code", "C201"), ("achievement", "an achievement id", "A1")):
        value = getattr(args, option)
        if value is not None:
            if not normalise(value):
                raise _UsageError(f"--{option} is empty; give {what}, e.g. --{option} {example}")
            setattr(args, option, normalise(value))  # typed as records and standards are: 'Ｃ２０１ ' is C201
    day = _day(args.as_of)
    _, standard = _standard(args)
    learner = load_learner(args.learner)
    decision = evaluate(standard, learner, day)
    subject = args.course or args.achievement
    ruleset = standard.ruleset_for(day)
    if args.course and (ruleset.program is None or args.course not in ruleset.program.courses):
        program = ruleset.program
        where = f"program {program.code} ({program.name_en})" if program else f"standard {ruleset.id}"
        raise _UsageError(f"--course: '{args.course}' is not a course of {where}"
                          + (did_you_mean(args.course, program.courses) if program else ""))
    if args.achievement and args.achievement not in {a.id for a in learner.achievements} | {
            r.achievement for r in learner.rejected}:
        raise _UsageError(f"--achievement: learner {learner.id} has no achievement '{args.achievement}'"
                          + did_you_mean(args.achievement, [a.id for a in learner.achievements]))
    out.write(render_explanation(decision, standard.ruleset_for(day), subject, args.lang))
    return EXIT_OK


class _ProgressBar:
    """A one-line progress display on a terminal's stderr, redrawn at most five times a second."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.last = 0.0
        self.shown = False

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and not (total and done >= total):
            return
        self.last = now
        if phase == "read":
            text = (f"reading   {_bar(done, total)} {done / 1e6:,.1f} of {total / 1e6:,.1f} MB" if total
                    else f"reading   {done:,} records")
        elif phase == "decide":
            text = f"deciding  {_bar(done, total)} {done} of {total} partitions"
        else:
            text = "writing the outputs"
        self.stream.write(f"\r{text:<72}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 72 + "\r")
            self.stream.flush()


def _bar(done: int, total: int | None, width: int = 24) -> str:
    share = min(1.0, done / total) if total else 0.0
    filled = int(share * width)
    return f"[{'#' * filled}{'-' * (width - filled)}] {share:4.0%}"


def _batch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    day = _day(args.as_of)
    if args.workers is not None and args.workers < 1:
        raise _UsageError(f"--workers must be at least 1, not {args.workers}")
    _, standard = _standard(args)
    rejects = args.rejects
    if rejects is None:
        if args.output == STDOUT:
            raise _UsageError("--output - writes the decisions to standard output; name --rejects too "
                              "(a file, or '-' if the decisions go to a file)")
        rejects = str(rejects_path_for(args.output))
    inputs = [(f"the input '{args.input}'", args.input),
              *((f"standard file '{path}'", path) for path, _ in standard_files(standard))]
    output, rejects_to, awards, summary_to = _batch_outputs(args, rejects, inputs)
    streamed = any(t is not None and t.is_stdout for t in (output, rejects_to, awards, summary_to))
    report = err if streamed else out  # standard output carries an output: the counts go to stderr

    def target(checked: Output | None) -> Output | TextIO | None:
        return out if checked is not None and checked.is_stdout else checked

    progress = _ProgressBar(err) if _is_terminal(err) and not os.environ.get("CI") else None
    try:
        summary = evaluate_batch(args.input, standard, output=target(output), as_of=day,  # type: ignore[arg-type]
                                 rejects=target(rejects_to), awards_csv=target(awards), workers=args.workers,
                                 trace=args.trace, output_format=args.format, input_format=args.input_format,
                                 work_dir=args.work_dir, progress=progress)
    except OSError as exc:
        raise CreditRulesError(f"{exc.strerror or exc}: '{exc.filename}'" if exc.filename else str(exc)) from None
    finally:
        if progress is not None:
            progress.finish()
    for warning in summary.warnings:
        err.write(f"creditrules: warning: {warning}\n")
    report.write(summary_text(summary))
    if summary_to is not None:
        write_text(summary_to, json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n", out)
    if not summary.adds_up:
        err.write("creditrules: the counts do not add up: some records are in no output; this is a bug, "
                  "please report it\n")
        return EXIT_PROBLEMS
    if summary.internal_errors:
        err.write(f"creditrules: {summary.internal_errors} learner(s) could not be decided because of an internal "
                  "error (see the rejects); please report it\n")
        return EXIT_PROBLEMS
    return EXIT_OK


def _batch_outputs(args: argparse.Namespace, rejects: str,
                   inputs: list[tuple[str, str]]) -> tuple[Output | None, ...]:
    """Every output of a batch run checked against the inputs and each other; None where not asked for."""
    options = [("--output", args.output), ("--rejects", rejects), ("--awards-csv", args.awards_csv),
               ("--summary", args.summary)]
    checked = iter(check_outputs(options, inputs))
    return tuple(next(checked) if value is not None else None for _, value in options)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _graph(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _, standard = _standard(args)
    out.write(graphs.EXPORTERS[args.format](standard.graph))
    return EXIT_OK


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number; write a percentage such as 80") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 100")
    return value


def _test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    paths = args.paths or [args.standards]
    for path in [args.standards, *paths]:
        if not Path(path).exists():
            raise _UsageError(f"no such file or folder: '{path}'")
    library = compile_standards([args.standards])
    result = case_runner.run(paths, library)
    if not result.results and not result.file_errors:
        err.write(f"creditrules: no decision cases (*.cases.yaml) found in {', '.join(map(str, paths))}\n")
        return EXIT_PROBLEMS
    render = case_report.as_json if args.format == "json" else case_report.text
    out.write(render(result, args.min_coverage))
    return EXIT_OK if case_report.passed(result, args.min_coverage) else EXIT_PROBLEMS


def _diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    as_of = _day(args.as_of) if args.as_of else None
    if args.learners is not None:
        if args.standard is None:
            raise _UsageError("--learners needs --standard, the standard to decide them on")
        if not Path(args.learners).exists():
            raise _UsageError(f"--learners '{args.learners}' does not exist")
    with Sources(args.standards, args.standard) as sources:
        try:
            old, new = sources.side(args.old), sources.side(args.new)
        except SourceError as exc:
            raise _UsageError(str(exc)) from None
        known = set(old.library.standards) | set(new.library.standards)
        if args.standard is not None and args.standard not in known:
            raise _UsageError(f"--standard: no standard '{args.standard}'{did_you_mean(args.standard, known)}")
        if args.learners is not None:
            subjects, skipped = impact.file_subjects(Path(args.learners), args.standard, as_of or date.today())
            for entry in skipped:
                err.write(f"creditrules: skipped: {escape_controls(entry)}\n")
            origin = f"{args.learners}, decided on {(as_of or date.today()).isoformat()}"
        else:
            folders = list(dict.fromkeys([old.folder, new.folder]))
            subjects, problems = impact.case_subjects(folders, args.standard, as_of)
            for problem in dict.fromkeys(problems):  # one learner file named by several cases: once
                err.write(f"creditrules: skipped: {escape_controls(problem)}\n")
            origin = "the decision cases, " + (f"all decided on {as_of.isoformat()}" if as_of
                                               else "each decided on its own date")
        if not subjects:
            err.write("creditrules: no learners to compare" + (f" for '{args.standard}'" if args.standard else "")
                      + "\n")
            return EXIT_PROBLEMS
        result = impact.compare(old, new, subjects, origin)
    out.write(impact_report.as_json(result) if args.format == "json" else impact_report.text(result))
    return EXIT_OK


_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    for label, value in (("", args.id), ("--extends: ", args.extends)):
        if value is not None and (not _ID.match(value) or len(value) > 80):
            raise _UsageError(f"{label}'{value}' is not a valid id; use lowercase letters, digits, '.', '_' and '-', "
                              "starting with a letter or digit")
    start = _day(args.start, "--from")
    if args.extends is not None:
        _known_base(args.extends, Path(args.standards))
    schema = Path(args.schema)
    if args.output is None:
        out.write(scaffold.scaffold(args.id, args.kind, args.extends, start, schema.as_posix()))
        return EXIT_OK
    (checked,) = check_outputs([("--output", args.output)], [(f"the --schema file '{args.schema}'", schema)])
    if checked.is_stdout:
        out.write(scaffold.scaffold(args.id, args.kind, args.extends, start, schema.as_posix()))
        return EXIT_OK
    if os.path.lexists(args.output):
        raise _UsageError(f"--output '{args.output}' already exists; choose another file or delete it")
    assert checked.path is not None
    relative = Path(os.path.relpath(schema.resolve(), checked.path.parent)).as_posix()
    try:
        write_text(checked, scaffold.scaffold(args.id, args.kind, args.extends, start, relative))
    except OSError as exc:
        raise CreditRulesError(f"cannot write {args.output}: {exc.strerror}") from None
    out.write(f"wrote {args.output}: a {args.kind} standard '{args.id}'; edit it, then run "
              f"'creditrules validate --strict {args.output}'\n")
    return EXIT_OK


def _known_base(standard_id: str, folder: Path) -> None:
    """Refuse ``init --extends`` an id that no standard in ``folder`` has: the file written would fail validate."""
    if not folder.is_dir():
        raise _UsageError(f"--extends: no standards folder '{folder}' to find '{standard_id}' in; give it with "
                          "--standards")
    library, _, failed = load_partial([folder])
    known = set(library.ids) | failed
    if standard_id not in known:
        raise _UsageError(f"--extends: no standard '{standard_id}' in {folder}{did_you_mean(standard_id, known)}")


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    text = schema_text(args.which or "standard")
    if args.output is None:
        out.write(text)
        return EXIT_OK
    (target,) = check_outputs([("--output", args.output)])
    try:
        write_text(target, text, out)
    except OSError as exc:
        raise CreditRulesError(f"cannot write {args.output}: {exc.strerror}") from None
    return EXIT_OK


def main_exit() -> None:
    """Console-script entry point."""
    sys.exit(main())
