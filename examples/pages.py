"""Make the pages people read from Python: a decision letter in both languages and the standard report.

    python examples/pages.py OUT_DIR      # writes letter-en.html, letter-zh.html, report.html, graph.svg

The library returns each page as text (it never writes a file); this script writes them. Open them in any
browser, offline: each is one self-contained file, and prints to PDF from the browser's print dialog.
The same pages come from the command line:

    creditrules evaluate --standard yrd-computer-application --learner examples/student-1x.yaml \\
        --as-of 2025-06-30 --format html --lang zh --output letter-zh.html
    creditrules report --standard yrd-computer-application --as-of 2025-06-30 --output report.html
    creditrules graph --standard yrd-computer-application --version 2024.1 --format svg --output graph.svg
    creditrules diff 2024.1 2026.1 --standard yrd-computer-application --format html --output impact.html
"""

from __future__ import annotations

import sys
from pathlib import Path

import creditrules
from creditrules import pages
from creditrules.api import check
from creditrules.case_runner import run
from creditrules.graph import localise, ruleset_graph
from creditrules.pages import svg

HERE = Path(__file__).resolve().parent


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    folder = HERE.parent / "standards"
    library = creditrules.compile_standards(folder)
    standard = library["yrd-computer-application"]
    decision = creditrules.evaluate(standard, creditrules.load_learner(HERE / "student-1x.yaml"), as_of="2025-06-30")
    ruleset = standard.ruleset_for(decision.as_of)
    for lang in ("en", "zh"):
        (out / f"letter-{lang}.html").write_text(pages.letter(decision, ruleset, lang), encoding="utf-8")
    report = pages.report(standard, ruleset, "en", decision.as_of, findings=check([folder]).problems,
                          cases=run([folder], library), engine=creditrules.__version__)
    (out / "report.html").write_text(report, encoding="utf-8")
    picture = svg.standalone(localise(ruleset_graph(ruleset), "zh"), f"{ruleset.id} {ruleset.version}")
    (out / "graph.svg").write_text(picture, encoding="utf-8")
    print(f"wrote {', '.join(sorted(p.name for p in out.iterdir()))} to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "pages"))
