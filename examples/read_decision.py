"""Read a decision back: check it against the JSON Schema, rebuild the ``Decision``, use its exact credits.

    creditrules evaluate --standard yrd-computer-application --learner examples/student-1x.yaml \\
        --as-of 2025-06-30 --format json > decision.json
    python examples/read_decision.py decision.json

Without a file it decides the sample student first. Validating against the schema needs ``jsonschema``
(``pip install jsonschema``, in the test extra); ``Decision.from_json`` checks the same on its own.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import creditrules
from creditrules import Decision, DecisionFormatError

HERE = Path(__file__).resolve().parent


def sample_json() -> str:
    library = creditrules.compile_standards(HERE.parent / "standards")
    learner = creditrules.load_learner(HERE / "student-1x.yaml")
    return creditrules.evaluate(library["yrd-computer-application"], learner, as_of="2025-06-30").to_json()


def main(argv: list[str]) -> int:
    text = Path(argv[0]).read_text(encoding="utf-8") if argv else sample_json()
    try:
        import jsonschema
    except ImportError:
        print("(jsonschema is not installed: skipping the schema check)")
    else:
        errors = list(jsonschema.Draft202012Validator(creditrules.decision_schema()).iter_errors(json.loads(text)))
        for error in errors:
            print(f"schema: {'/'.join(map(str, error.absolute_path))}: {error.message}")
        if errors:
            return 1
    try:
        decision = Decision.from_json(text)
    except DecisionFormatError as exc:
        for problem in exc.problems:
            print(problem)
        return 1
    assert decision.to_json() == text or decision.to_json(trace=False) == text  # the same bytes back
    print(f"{decision.learner}: {decision.total} credits (format {json.loads(text)['format_version']}, "
          f"engine {decision.engine_version}, {decision.standard.id} {decision.standard.version})")
    for award in decision.awards:  # Decimal credits: exact sums, no float rounding
        print(f"  {award.rule}: {award.credits} credits")
    assert sum(a.credits for a in decision.awards) == decision.total
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
