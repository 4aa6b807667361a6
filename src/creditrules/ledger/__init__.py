"""The learner's account (学分银行账户): outcomes stored, decisions recorded for good, replayable.

    from creditrules.ledger import Ledger
    with Ledger("sqlite:///bank.sqlite3", create=True) as ledger:
        ledger.store(creditrules.load_learner("examples/student-1x.yaml"))
        applied = ledger.apply("S-2024-0001", library["yrd-computer-application"], "2025-06-30")

See docs/ledger.md. The ledger sits above the evaluator and below the command line; the core never
imports it.
"""

from .account import Applied, Excluded, Ledger, Replay, Stored, files_of, record_of
from .db import Address, parse_url
from .diff import RecordedChange, diff_recorded
from .policy import TIERS, Policy, Unit, load_policy, load_units
from .problems import LedgerError

__all__ = [
    "TIERS",
    "Address",
    "Applied",
    "Excluded",
    "Ledger",
    "LedgerError",
    "Policy",
    "RecordedChange",
    "Replay",
    "Stored",
    "Unit",
    "diff_recorded",
    "files_of",
    "load_policy",
    "load_units",
    "parse_url",
    "record_of",
]
