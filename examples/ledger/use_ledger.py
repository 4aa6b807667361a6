"""The learner's account from Python: store outcomes with the units that handled them, apply twice, replay.

    python examples/ledger/use_ledger.py [LEDGER]     # default: a new SQLite file in a temporary folder
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import creditrules
from creditrules.ledger import Ledger, load_policy, load_units

HERE = Path(__file__).resolve().parent


def main(url: str) -> None:
    library = creditrules.compile_standards(HERE.parent.parent / "standards")
    standard = library["yrd-computer-application"]
    with Ledger(url, create=True) as ledger:
        ledger.add_units(load_units(HERE / "units.yaml"))
        ledger.store(creditrules.load_learner(HERE / "student.yaml"))
        policy = load_policy(HERE / "policy.yaml")
        for _ in range(2):  # the second application sees what the first used
            applied = ledger.apply("S-2024-0001", standard, "2025-06-30", policy=policy, official="王老师")
            print(f"decision #{applied.id}: {applied.decision.total_credits:g} credits")
            for kept_out in applied.excluded:
                print(f"  kept out {kept_out.outcome}: {kept_out.text('en')}")
        replay = ledger.replay(1)
        print(f"decision #1 replays to the same bytes: {replay.same}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(sys.argv[1])
    else:
        with tempfile.TemporaryDirectory(prefix="ledger-example-") as folder:
            main(f"sqlite:///{folder}/bank.sqlite3")
