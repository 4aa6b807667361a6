"""Use creditrules from Python: compile the sample standards once, decide several learners.

    python examples/use_api.py
"""

from __future__ import annotations

from pathlib import Path

import creditrules

HERE = Path(__file__).resolve().parent


def main() -> None:
    library = creditrules.compile_standards(HERE.parent / "standards")
    standard = library["yrd-computer-application"]
    learner = creditrules.load_learner(HERE / "student-1x.yaml")
    decision = creditrules.evaluate(standard, learner, as_of="2025-06-30")

    # credits are exact decimal.Decimal credits: Decimal('19.5'), in JSON 19.5
    print(f"{decision.learner}: {decision.total} credits under {decision.standard.id} "
          f"{decision.standard.version}")
    for award in decision.awards:
        target = ", ".join(c.code for c in award.courses) or award.category
        print(f"  {target}: {award.credits} credits by rule {award.rule} from {', '.join(award.achievements)}")
    for unused in decision.unused:
        print(f"  unused {unused.achievement}: {unused.reason}")
    if decision.application is not None:
        print(f"  still to earn for the diploma: {decision.application.remaining} credits")


if __name__ == "__main__":
    main()
