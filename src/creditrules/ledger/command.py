"""``creditrules account``: the learner's account from the command line.

The command line (:mod:`creditrules.cli`) adds these subcommands with :func:`add_parser` and runs them
with :func:`run`; like every command they write to the streams they are given and return an exit code.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from typing import Any, TextIO

from ..api import compile_standards
from ..compiled import CompiledStandard
from ..errors import CreditRulesError
from ..learner import load_learner
from ..messages import text
from ..render import render_text
from ..safe_text import escape_controls
from ..sources import Sources
from .account import Ledger
from .batch import record_batch
from .diff import diff_recorded
from .policy import load_policy, load_units
from .problems import LedgerError

DEFAULT_DB = "ledger.sqlite3"


def add_parser(commands: Any) -> None:
    account = commands.add_parser("account", help="the learner's account: store outcomes, apply, show, replay, diff")
    sub = account.add_subparsers(dest="account_command", required=True, parser_class=type(account))
    standards = os.environ.get("CREDITRULES_STANDARDS", "standards")

    def common(p: argparse.ArgumentParser, lang: bool = True) -> None:
        p.add_argument("--db", default=os.environ.get("CREDITRULES_LEDGER", DEFAULT_DB),
                       help="the ledger: sqlite:///PATH, postgresql://USER@HOST:PORT/DB, or a file path (SQLite); "
                            f"default $CREDITRULES_LEDGER or {DEFAULT_DB}")
        if lang:
            p.add_argument("--lang", choices=("en", "zh"), default="en")

    common(sub.add_parser("init", help="create a ledger, or bring its schema up to date"))
    units = sub.add_parser("units", help="add the service units of a units file (id, tier, name, parent)")
    units.add_argument("file")
    common(units)
    store = sub.add_parser("store", help="store a learner file's outcomes in the learner's account")
    store.add_argument("--learner", required=True, help="learner file (YAML, or JSON by .json)")
    for role in ("received-by", "verified-by", "certified-by"):
        store.add_argument(f"--{role}", metavar="UNIT", help=f"the service unit that {role.replace('-by', '')} "
                                                             "the outcomes (an outcome's own key wins)")
    common(store)
    apply = sub.add_parser("apply", help="decide a learner's credit from the account and record the decision")
    apply.add_argument("--learner", required=True, help="the learner's id in the ledger")
    apply.add_argument("--standard", required=True)
    apply.add_argument("--standards", default=standards)
    apply.add_argument("--as-of", help="application date YYYY-MM-DD (default: today)")
    apply.add_argument("--policy", help="ledger policy file: certifying tiers, reconvertible codes")
    apply.add_argument("--official", help="who applies (recorded with the decision)")
    apply.add_argument("--trace", choices=("full", "compact", "none"), default="compact")
    apply.add_argument("--format", choices=("text", "json"), default="text")
    common(apply)
    show = sub.add_parser("show", help="a learner's stored outcomes and recorded decisions")
    show.add_argument("--learner", required=True)
    show.add_argument("--format", choices=("text", "json"), default="text")
    common(show)
    replay = sub.add_parser("replay", help="decide a recorded decision again from its archived standards")
    replay.add_argument("decision", type=int)
    replay.add_argument("--format", choices=("text", "json"), default="text",
                        help="json: the replayed decision's bytes")
    common(replay)
    diff = sub.add_parser("diff", help="which recorded decisions a new version of the standards would change")
    diff.add_argument("new", help="a folder, a version of --standard, or a git revision")
    diff.add_argument("--standards", default=standards)
    diff.add_argument("--standard", help="only the decisions of this standard (needed to name a version)")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    common(diff)


def check_batch_ledger(args: argparse.Namespace) -> None:
    """``batch --ledger``: what can be refused before the batch runs (the ledger must be there)."""
    if not args.ledger:
        return
    if args.input == "-":
        raise LedgerError("batch-stdin")
    Ledger(args.ledger).close()


def record_batch_text(args: argparse.Namespace, standard: CompiledStandard, day: date, err: TextIO) -> str:
    """``batch --ledger``: record the batch's learners; the line the run's report ends with."""
    with Ledger(args.ledger) as ledger:
        recorded = record_batch(ledger, args.input, standard, day, input_format=args.input_format)
    for learner, reason in recorded.refused:
        err.write(f"creditrules: ledger: learner {escape_controls(learner)} not recorded: {escape_controls(reason)}\n")
    return text("ledger.batch", "en", recorded=len(recorded.decisions), refused=len(recorded.refused),
                where=ledger.where) + "\n"


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        return _COMMANDS[args.account_command](args, out)
    except LedgerError as exc:
        err.write(f"creditrules: {escape_controls(exc.text(args.lang))}\n")
        return 1


def _init(args: argparse.Namespace, out: TextIO) -> int:
    with Ledger(args.db, create=True) as ledger:
        out.write(text("ledger.created", args.lang, where=ledger.where, revision=ledger.revision) + "\n")
    return 0


def _units(args: argparse.Namespace, out: TextIO) -> int:
    units = load_units(args.file)
    with Ledger(args.db) as ledger:
        count = ledger.add_units(units)
    out.write(text("ledger.units_loaded", args.lang, count=count) + "\n")
    return 0


def _store(args: argparse.Namespace, out: TextIO) -> int:
    learner = load_learner(args.learner)
    with Ledger(args.db) as ledger:
        result = ledger.store(learner, received_by=args.received_by, verified_by=args.verified_by,
                              certified_by=args.certified_by)
    out.write(text("ledger.stored", args.lang, learner=result.learner, stored=len(result.stored),
                   same=len(result.same)) + "\n")
    for rejection in result.rejected:
        reason = rejection.reason_zh or rejection.reason if args.lang == "zh" else rejection.reason
        out.write(text("ledger.rejected", args.lang, outcome=rejection.achievement, reason=reason) + "\n")
    return 1 if result.rejected else 0


def _apply(args: argparse.Namespace, out: TextIO) -> int:
    policy = load_policy(args.policy) if args.policy else None
    library = compile_standards([args.standards])
    try:
        standard = library[args.standard]
    except KeyError as exc:
        raise CreditRulesError(f"--standard: {exc.args[0]}") from None
    with Ledger(args.db) as ledger:
        applied = ledger.apply(args.learner, standard, args.as_of, policy=policy, official=args.official,
                               trace=args.trace)
    if args.format == "json":
        data = {"decision_id": applied.id, "excluded": [e.to_dict() for e in applied.excluded],
                "decision": json.loads(applied.json)}
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    out.write(render_text(applied.decision, standard.ruleset_for(applied.decision.as_of), args.lang))
    if applied.excluded:
        out.write(text("ledger.excluded", args.lang) + "\n")
        for item in applied.excluded:
            out.write(text("ledger.excluded_line", args.lang, outcome=item.outcome, code=item.code,
                           why=item.text(args.lang)) + "\n")
    out.write(text("ledger.applied", args.lang, decision=applied.id) + "\n")
    return 0


def _show(args: argparse.Namespace, out: TextIO) -> int:
    with Ledger(args.db) as ledger:
        account = ledger.account(args.learner)
    if args.format == "json":
        out.write(json.dumps(account, ensure_ascii=False, indent=2) + "\n")
        return 0
    lang = args.lang
    out.write(text("ledger.account", lang, learner=account["learner"], outcomes=len(account["outcomes"]),
                   decisions=len(account["decisions"])) + "\n")
    out.write(text("ledger.outcomes", lang) + "\n")
    for o in account["outcomes"]:
        units = "" if not any(o[k] for k in ("received_by", "verified_by", "certified_by")) else text(
            "ledger.units", lang, received=o["received_by"] or "-", verified_by=o["verified_by"] or "-",
            certified=o["certified_by"] or "-")
        used = "".join(text("ledger.used", lang, decision=d) for d in o["used_by"])
        out.write(text("ledger.outcome", lang, mark="●" if o["used_by"] else "○", outcome=o["id"], code=o["code"],
                       obtained=o["obtained"], verified=text("ledger.verified" if o["verified"] else
                                                             "ledger.unverified", lang),
                       units=units, used=used) + "\n")
    out.write(text("ledger.history", lang) + "\n")
    for d in account["decisions"]:
        official = text("ledger.by", lang, official=d["official"]) if d["official"] else ""
        out.write(text("ledger.decision", lang, decision=d["id"], standard=d["standard"], version=d["version"],
                       as_of=d["as_of"], total=d["total"], recorded=d["recorded_at"], official=official) + "\n")
        for item in d["excluded"]:
            why = item["message_zh"] if lang == "zh" else item["message"]
            out.write("  " + text("ledger.excluded_line", lang, outcome=item["outcome"], code=item["code"],
                                  why=why) + "\n")
    return 0


def _replay(args: argparse.Namespace, out: TextIO) -> int:
    with Ledger(args.db) as ledger:
        replay = ledger.replay(args.decision)
    from .._version import __version__

    if args.format == "json":
        out.write(replay.replayed)
    else:
        key = "ledger.replayed" if replay.same else "ledger.replay-differs"
        out.write(text(key, args.lang, decision=replay.id, size=len(replay.recorded.encode("utf-8")),
                       engine=replay.recorded_engine, as_of=replay.as_of) + "\n")
        if replay.recorded_engine != __version__:
            out.write(text("ledger.replay-version", args.lang, decision=replay.id, recorded=replay.recorded_engine,
                           running=__version__) + "\n")
    return 0 if replay.same else 1


def _diff(args: argparse.Namespace, out: TextIO) -> int:
    with Sources(args.standards, args.standard) as sources, Ledger(args.db) as ledger:
        side = sources.side(args.new)
        changes = diff_recorded(ledger, side, args.standard)
    changed = [c for c in changes if c.changed]
    if args.format == "json":
        data = {"new": side.to_dict(), "decisions": len(changes), "changed": [c.to_dict() for c in changed]}
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    lang = args.lang
    out.write(text("ledger.diff_title", lang, new=side.label, changed=len(changed), total=len(changes)) + "\n")
    for change in changed:
        if change.error is not None:
            out.write(text("ledger.diff_error", lang, decision=change.decision, learner=change.learner,
                           error=change.error) + "\n")
            continue
        out.write(text("ledger.diff_line", lang, decision=change.decision, learner=change.learner,
                       standard=change.standard, old_version=change.old_version, new_version=change.new_version,
                       as_of=change.as_of, old_total=change.old_total, new_total=change.new_total) + "\n")
        for sign, keys in (("-", change.lost), ("+", change.gained)):
            for key in keys:
                out.write(text("ledger.diff_award", lang, sign=sign, rule=key[0], target=key[1],
                               achievements="+".join(key[2]), credits=key[3]) + "\n")
    return 0


_COMMANDS = {"init": _init, "units": _units, "store": _store, "apply": _apply, "show": _show, "replay": _replay,
             "diff": _diff}
