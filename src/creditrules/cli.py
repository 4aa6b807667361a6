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

from . import case_report, case_runner, formats, impact, impact_report, pages, scaffold
from . import graph as graphs
from ._version import __version__
from .api import check, compile_standards, unknown_subject
from .backends import BACKENDS, matcher_for
from .batch import OUTPUT_FORMATS, evaluate_batch, rejects_path_for, summary_text
from .batch.job import standard_files
from .columns import ColumnMapError, load_column_map, with_options
from .compiled import CompiledRuleset, CompiledStandard
from .compiler import CompiledLibrary
from .credentials import CredentialMapError, import_credentials, load_credential_map, load_credentials
from .dates import NotADay, parse_day
from .errors import CreditRulesError, Severity, StandardError, did_you_mean
from .evaluator import evaluate, evaluate_many
from .jsontext import indented_json
from .learner import load_learner
from .ledger import command as account_command
from .loader import load_partial
from .normalise import normalise
from .outputs import STDOUT, Output, OutputError, check_outputs, write_text
from .pages import svg
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

    def output_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--output", help="write to this file instead of standard output")

    def version_options(p: argparse.ArgumentParser) -> None:
        which = p.add_mutually_exclusive_group()
        which.add_argument("--as-of", help="the version in force on this date YYYY-MM-DD")
        which.add_argument("--version", help="the version named so, e.g. 2024.1")

    def standards_option(p: argparse.ArgumentParser, many: bool = False) -> None:
        p.add_argument("--standards", default=os.environ.get("CREDITRULES_STANDARDS", DEFAULT_STANDARDS),
                       help="folder of standards (default: $CREDITRULES_STANDARDS or standards/)")
        if many:
            p.add_argument("--standard", required=True, action="append",
                           help="the standard's id; give several to decide them together (one allocation: a shared "
                                "budget, each course and achievement counted once across them)")
        else:
            p.add_argument("--standard", required=True, help="the standard's id")

    evaluate_cmd = commands.add_parser("evaluate", help="decide one learner's credit under a standard")
    standards_option(evaluate_cmd, many=True)
    evaluate_cmd.add_argument("--learner", required=True, help="learner file (YAML, or JSON by .json)")
    evaluate_cmd.add_argument("--as-of", help="application date YYYY-MM-DD (default: today)")
    evaluate_cmd.add_argument("--format", choices=("text", "json", "html"), default="text",
                              help="text (default), json (the decision as data) or html (the decision letter, a "
                                   "page to read and print)")
    evaluate_cmd.add_argument("--lang", choices=("en", "zh"), default="en")
    output_option(evaluate_cmd)
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

    graph = commands.add_parser("graph", help="export the rule graph (every version, or one with --as-of/--version)")
    standards_option(graph)
    graph.add_argument("--format", choices=sorted([*graphs.EXPORTERS, "svg"]), default="json",
                       help="json (default), dot, graphml, mermaid, or svg (a picture; one version)")
    version_options(graph)
    graph.add_argument("--lang", choices=("en", "zh"), default="en", help="names and labels in this language")
    output_option(graph)

    report = commands.add_parser("report", help="the standard report for experts and reviewers: rules, limits, "
                                                "versions, the rule graph, findings and decision cases, as one "
                                                "HTML page")
    standards_option(report)
    version_options(report)
    report.add_argument("--lang", choices=("en", "zh"), default="en")
    output_option(report)

    test = commands.add_parser("test", help="run the decision cases (*.cases.yaml) and report rule coverage")
    test.add_argument("paths", nargs="*", help="case files or folders (default: the --standards folder)")
    test.add_argument("--standards", default=os.environ.get("CREDITRULES_STANDARDS"),
                      help="folder of standards the cases run against (default: $CREDITRULES_STANDARDS; else the "
                           "standards in each folder given, and standards/ for the rest)")
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
    diff.add_argument("--format", choices=("text", "json", "html"), default="text",
                      help="text (default), json, or html (the impact report, a page)")
    diff.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the html page")
    output_option(diff)

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
                       help="achievement rows, one per line or row, each with a 'learner' id (JSONL, CSV, Parquet or "
                            "an Excel .xlsx workbook; '-' reads standard input)")
    batch.add_argument("--output", required=True, help="decisions, one per learner, sorted by learner id")
    batch.add_argument("--as-of", help="application date YYYY-MM-DD (default: today)")
    batch.add_argument("--workers", type=int, help="processes to use (default: every core)")
    batch.add_argument("--trace", choices=("full", "compact", "none"), default="compact",
                       help="how much of the rule trace each decision keeps (default: compact)")
    batch.add_argument("--format", choices=OUTPUT_FORMATS, default="jsonl",
                       help="decisions as JSON lines, or as CSV with one row per learner (default: jsonl)")
    batch.add_argument("--input-format", choices=FORMATS,
                       help="format of --input (default: from its name: .csv, .parquet, .xlsx, else JSONL)")
    batch.add_argument("--rejects", help="records that could not be used, with the reason "
                                         "(default: OUTPUT's name + .rejects.jsonl; a .csv name gives CSV)")
    batch.add_argument("--awards-csv",
                       help="also write every award as a flat CSV, one row per course or category award")
    batch.add_argument("--summary", help="also write the run's counts as JSON to this file")
    batch.add_argument("--work-dir", help="folder for temporary partition files (default: the system's)")
    batch.add_argument("--columns", metavar="MAP.yaml",
                       help="the office's headers → record fields, its date format and sheet (CSV and Excel input)")
    batch.add_argument("--column", action="append", default=[], metavar="HEADER=FIELD",
                       help="map one header to a record field, e.g. --column 学号=learner (repeatable)")
    batch.add_argument("--date-format", metavar="FORMAT",
                       help="how text dates are written in this input, e.g. %%Y/%%m/%%d (default: YYYY-MM-DD only)")
    batch.add_argument("--sheet", help="the sheet of an Excel workbook (default: the first)")
    imports = commands.add_parser("import-credentials",
                                  help="turn Open Badges 3.0 / CLR 2.0 credentials into a learner file")
    imports.add_argument("--credentials", required=True, help="a JSON file: one credential or a list of them")
    imports.add_argument("--map", dest="credential_map", metavar="MAP.yaml",
                         help="which achievement is which catalogue code (see docs/credentials.md)")
    imports.add_argument("--standard", help="also map alignment targetCodes that are codes of this standard's "
                                            "catalogue or equivalents it declares")
    imports.add_argument("--standards", default=os.environ.get("CREDITRULES_STANDARDS", DEFAULT_STANDARDS),
                         help="folder of standards (default: $CREDITRULES_STANDARDS or standards/)")
    imports.add_argument("--learner-id", help="the learner's id (default: the credentials' subject id)")
    imports.add_argument("--as-of", help="expired or not-yet-valid credentials on this date are left out "
                                         "(default: today)")
    imports.add_argument("--mark-verified", action="store_true",
                         help="mark every achievement verified: say so only if the proofs were checked by other "
                              "means (creditrules does not verify signatures)")
    imports.add_argument("--output", help="the learner file to write (.json; default: standard output)")
    imports.add_argument("--lang", choices=("en", "zh"), default="en")

    export = commands.add_parser("export", help="a standard's conversions as transfer values another bank can read")
    standards_option(export)
    export.add_argument("--as-of", help="the version in force on this date (default: every version)")
    export.add_argument("--output", help="write to this file instead of standard output")

    serve = commands.add_parser("serve", help="an HTTP API over the standards (the creditrules[serve] extra); "
                                              "see docs/service.md")
    serve.add_argument("--standards", default=os.environ.get("CREDITRULES_STANDARDS", DEFAULT_STANDARDS),
                       help="folder of standards to serve (default: $CREDITRULES_STANDARDS or standards/)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free port)")
    serve.add_argument("--poll", type=float, default=1.0, metavar="SECONDS",
                       help="how often to look for changed standards (default: 1; 0: never reload)")
    serve.add_argument("--max-batch-bytes", type=int, default=16 * 1024 * 1024, metavar="N",
                       help="largest batch body accepted (default: 16 MiB)")
    serve.add_argument("--log-level", choices=("critical", "error", "warning", "info", "debug"), default="info")
    serve.add_argument("--no-access-log", action="store_true", help="do not log each request")
    serve.add_argument("--openapi", action="store_true",
                       help="print the OpenAPI description (schema/openapi.json) and stop")
    batch.add_argument("--ledger", metavar="DB",
                       help="also record each learner's decision in this ledger (sqlite:///PATH, postgresql://…, "
                            "or a file path; docs/ledger.md)")
    account_command.add_parser(commands)
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
                   "report": _report, "test": _test, "diff": _diff, "init": _init, "schema": _schema,
                   "batch": _batch, "import-credentials": _import_credentials, "export": _export,
                   "serve": _serve, "account": account_command.run}[args.command]
        return handler(args, out, err)
    except (_UsageError, OutputError) as exc:
        err.write(f"creditrules: {escape_controls(str(exc))}\n")
        return EXIT_USAGE
    except (CredentialMapError, ColumnMapError) as exc:
        err.write(f"creditrules: {escape_controls(exc.reason[1] if _lang(args) == 'zh' else exc.reason[0])}\n")
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


def _lang(args: argparse.Namespace) -> str:
    return str(getattr(args, "lang", "en"))


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


def _emit(args: argparse.Namespace, text: str, out: TextIO, inputs: Sequence[tuple[str, str | Path]] = ()) -> None:
    """Write a command's one output to standard output, or to ``--output`` under the output policy."""
    if getattr(args, "output", None) is None:
        out.write(text)
        return
    (target,) = check_outputs([("--output", args.output)], inputs)
    try:
        write_text(target, text, out)
    except OSError as exc:
        raise CreditRulesError(f"cannot write {args.output}: {exc.strerror}") from None


def _chosen(args: argparse.Namespace, standard: CompiledStandard) -> CompiledRuleset | None:
    """The version ``--version`` or ``--as-of`` picks, or None when neither is given."""
    if args.version is not None:
        found = [s for s in standard.segments if s.version == args.version]
        if not found:
            versions = list(dict.fromkeys(s.version for s in standard.segments))
            raise _UsageError(f"--version: standard '{standard.id}' has no version '{args.version}' "
                              f"(versions: {', '.join(versions)}){did_you_mean(args.version, versions)}")
        return max(found, key=lambda s: s.effective_from)
    if args.as_of is not None:
        return standard.ruleset_for(_day(args.as_of))
    return None


def _evaluate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if len(args.standard) > 1:
        return _evaluate_many(args, out)
    args.standard = args.standard[0]
    day = _day(args.as_of)
    matcher = matcher_for(args.backend)
    _, standard = _standard(args)
    inputs = [("the --learner file", args.learner)]
    if args.output is not None:
        check_outputs([("--output", args.output)], inputs)  # refused before anything is decided
    learner = load_learner(args.learner)
    decision = evaluate(standard, learner, day, trace="none" if args.no_trace else args.trace, matcher=matcher)
    if args.format == "json":
        text = decision.to_json(trace=not args.no_trace)
    elif args.format == "html":
        text = pages.letter(decision, standard.ruleset_for(day), args.lang)
    else:
        text = render_text(decision, standard.ruleset_for(day), args.lang)
    _emit(args, text, out, inputs)
    return EXIT_OK


def _evaluate_many(args: argparse.Namespace, out: TextIO) -> int:
    """Several --standard: one learner decided against them together (evaluate_many)."""
    if args.backend != "native":
        raise _UsageError("--backend: several standards are decided together by the native matcher only")
    day = _day(args.as_of)
    if not Path(args.standards).exists():
        raise _UsageError(f"--standards '{args.standards}' does not exist")
    library = compile_standards([args.standards])
    standards = []
    for standard_id in args.standard:
        try:
            standards.append(library[standard_id])
        except KeyError as exc:
            raise _UsageError(f"--standard: {exc.args[0]}") from None
    learner = load_learner(args.learner)
    decisions = evaluate_many(standards, learner, day, trace="none" if args.no_trace else args.trace)
    if args.format == "json":
        out.write(indented_json([d.to_dict(trace=not args.no_trace) for d in decisions]) + "\n")
    else:
        out.write("\n".join(render_text(d, library[d.standard.id].ruleset_for(day), args.lang) for d in decisions))
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
    unknown = unknown_subject(ruleset, learner, args.course, args.achievement)
    if unknown is not None:
        raise _UsageError(f"--{unknown[0]}: {unknown[1]}")
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
    columns = with_options(load_column_map(args.columns) if args.columns else None, args.column,
                           args.date_format, args.sheet)
    _, standard = _standard(args)
    account_command.check_batch_ledger(args)
    rejects = args.rejects
    if rejects is None:
        if args.output == STDOUT:
            raise _UsageError("--output - writes the decisions to standard output; name --rejects too "
                              "(a file, or '-' if the decisions go to a file)")
        rejects = str(rejects_path_for(args.output))
    inputs = [(f"the input '{args.input}'", args.input),
              *((f"standard file '{path}'", path) for path, _ in standard_files(standard)),
              *([(f"the column mapping '{args.columns}'", args.columns)] if args.columns else [])]
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
                                 work_dir=args.work_dir, progress=progress, columns=columns)
    except OSError as exc:
        raise CreditRulesError(f"{exc.strerror or exc}: '{exc.filename}'" if exc.filename else str(exc)) from None
    finally:
        if progress is not None:
            progress.finish()
    for warning in summary.warnings:
        err.write(f"creditrules: warning: {warning}\n")
    report.write(summary_text(summary))
    if args.ledger:
        report.write(account_command.record_batch_text(args, standard, day, err))
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
    if args.as_of is not None:
        _day(args.as_of)  # a bad date is a usage error before anything is read
    _, standard = _standard(args)
    ruleset = _chosen(args, standard)
    if ruleset is None and args.format == "svg":
        raise _UsageError("--format svg draws one version; name it with --as-of DATE or --version VERSION "
                          f"(versions: {', '.join(dict.fromkeys(s.version for s in standard.segments))})")
    graph = graphs.localise(standard.graph if ruleset is None else graphs.ruleset_graph(ruleset), args.lang)
    if args.format == "svg":
        assert ruleset is not None
        text = svg.standalone(graph, f"{ruleset.id} {ruleset.version}")
    else:
        text = graphs.EXPORTERS[args.format](graph)
    _emit(args, text, out)
    return EXIT_OK


def _report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    as_of = _day(args.as_of) if args.as_of is not None else None
    library, standard = _standard(args)
    if args.output is not None:
        check_outputs([("--output", args.output)])
    ruleset = _chosen(args, standard)
    if ruleset is None:  # the version in force today, else the latest
        today = date.today()
        in_force = [s for s in standard.segments if s.in_force(today)]
        ruleset = max(in_force or standard.segments, key=lambda s: (s.effective_from, s.version))
        as_of = today
    findings = check([args.standards]).problems
    cases = case_runner.run([args.standards], library)
    _emit(args, pages.report(standard, ruleset, args.lang, as_of, findings, cases, __version__), out)
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
    paths = args.paths or [args.standards or DEFAULT_STANDARDS]
    for path in [*([args.standards] if args.standards else []), *paths]:
        if not Path(path).exists():
            raise _UsageError(f"no such file or folder: '{path}'")
    if args.standards is not None:
        folders: list[str | Path] = [args.standards]
    else:
        found, fallback = case_runner.standards_for(paths, DEFAULT_STANDARDS)
        if fallback and not Path(DEFAULT_STANDARDS).is_dir():
            raise _UsageError(f"no standards to decide the cases in {', '.join(map(str, paths))} against: none "
                              f"beside them, and no folder '{DEFAULT_STANDARDS}' here; give --standards DIR")
        folders = list(found)
    library = compile_standards(folders)
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
    inputs = [("the --learners file", args.learners)] if args.learners is not None else []
    if args.output is not None:
        check_outputs([("--output", args.output)], inputs)  # refused before anything is compared
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
    if args.format == "html":
        text = pages.impact_page(result, args.lang, __version__)
    else:
        text = impact_report.as_json(result) if args.format == "json" else impact_report.text(result)
    _emit(args, text, out, inputs)
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


def _import_credentials(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    day = _day(args.as_of)
    if not Path(args.credentials).is_file():
        raise _UsageError(f"--credentials '{args.credentials}' is not a file")
    mapping = load_credential_map(args.credential_map) if args.credential_map else None
    known: dict[str, str] | None = None
    if args.standard is not None:
        _, standard = _standard(args)
        ruleset = standard.ruleset_for(day)
        known = {}
        for stage in (*ruleset.certifications, ruleset):
            known.update({normalise(code): code for code in stage.catalog})
            known.update({normalise(alias): alias for alias in stage.aliases})
    if mapping is None and known is None:
        raise _UsageError("import-credentials needs --map, --standard or both: something must say which "
                          "achievement is which code")
    target = None
    if args.output is not None:
        inputs = [(f"the credentials '{args.credentials}'", args.credentials)]
        if args.credential_map:
            inputs.append((f"the map '{args.credential_map}'", args.credential_map))
        (target,) = check_outputs([("--output", args.output)], inputs)
    imported = import_credentials(load_credentials(args.credentials), mapping, day, learner_id=args.learner_id,
                                  known_codes=known, mark_verified=args.mark_verified, source=args.credentials)
    for item in imported.unmapped:
        reason = item.reason_zh if args.lang == "zh" else item.reason
        err.write(f"creditrules: not imported: {escape_controls(item.where)}: {escape_controls(reason)} "
                  f"[{item.reason_code}]\n")
    if target is None or target.is_stdout:
        out.write(imported.learner_json())
    else:
        write_text(target, imported.learner_json())
    count = len(imported.learner["achievements"])
    err.write(f"creditrules: {count} achievement(s) imported, {len(imported.unmapped)} credential(s) not imported\n")
    return EXIT_PROBLEMS if imported.unmapped else EXIT_OK


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .transfer import export_text

    _, standard = _standard(args)
    text = export_text(standard, _day(args.as_of) if args.as_of else None)
    if args.output is None:
        out.write(text)
        return EXIT_OK
    (target,) = check_outputs([("--output", args.output)],
                              [(f"standard file '{path}'", path) for path, _ in standard_files(standard)])
    write_text(target, text, out)
    return EXIT_OK


def _serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        from . import serve
    except ImportError as exc:
        missing = (exc.name or "a package").split(".")[0]
        raise _UsageError(f"serve needs the creditrules[serve] extra ({missing} is missing): "
                          "pip install 'creditrules[serve]'") from None
    if args.openapi:
        out.write(serve.openapi_text())
        return EXIT_OK
    if not Path(args.standards).is_dir():
        raise _UsageError(f"--standards '{args.standards}' is not a folder")
    if args.max_batch_bytes < 1 or args.poll < 0 or not 0 <= args.port <= 65535:
        raise _UsageError("--max-batch-bytes must be at least 1, --poll at least 0 and --port 0 to 65535")
    app = serve.create_app(serve.Settings(Path(args.standards), args.poll, args.max_batch_bytes))
    sock = serve.bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    standards = len(app.state.served.bundle.library.standards)
    err.write(f"creditrules: serving {standards} standard(s) from {args.standards} at http://{shown}:{port} "
              f"(API: http://{shown}:{port}/openapi.json; Ctrl-C stops)\n")
    err.flush()
    serve.run(app, sock, args.log_level, not args.no_access_log)
    return EXIT_OK


EXIT_READER_GONE = 128 + 13  # as a shell reports a command ended by SIGPIPE


def main_exit() -> None:
    """Console-script entry point. A reader that stops early (``creditrules … | head``) ends the output
    quietly with the shell's code for a broken pipe, not a traceback."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the interpreter's own flush at exit is quiet too
        code = EXIT_READER_GONE
    sys.exit(code)
