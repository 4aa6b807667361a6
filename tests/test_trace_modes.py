"""Compact and no trace change how much is recorded, never what is decided or why."""

from __future__ import annotations

from pathlib import Path

import pytest

import creditrules
from creditrules.render import render_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [("yrd-computer-application", "student-1x.yaml"), ("ah-worker-cnc", "worker.yaml"),
            ("ah-farmer-agri", "farmer.yaml"), ("ah-senior-arts-certificate", "elderly.yaml")]


@pytest.fixture(scope="module")
def library():
    return creditrules.compile_standards(ROOT / "standards")


@pytest.mark.parametrize("standard_id,learner_file", EXAMPLES)
@pytest.mark.parametrize("mode", ["compact", "none"])
def test_trace_mode_keeps_the_decision(library, standard_id, learner_file, mode):
    learner = creditrules.load_learner(ROOT / "examples" / learner_file)
    full = creditrules.evaluate(library[standard_id], learner, "2025-06-30")
    lighter = creditrules.evaluate(library[standard_id], learner, "2025-06-30", trace=mode)
    assert lighter.to_json(trace=False) == full.to_json(trace=False)
    ruleset = library[standard_id].ruleset_for(full.as_of)
    assert render_text(lighter, ruleset) == render_text(full, ruleset)


def test_compact_trace_keeps_rules_with_candidates_and_drops_condition_checks(library):
    learner = creditrules.load_learner(ROOT / "examples" / "student-1x.yaml")
    decision = creditrules.evaluate(library["yrd-computer-application"], learner, "2025-06-30", trace="compact")
    assert decision.trace_mode == "compact"
    assert [t.rule for t in decision.trace] == ["web-foundation", "web-core", "web-and-cloud-project", "cloud-core",
                                                "competition-provincial", "external-training"]
    assert all(t.checks == () for t in decision.trace)


def test_no_trace_keeps_no_rules(library):
    learner = creditrules.load_learner(ROOT / "examples" / "student-1x.yaml")
    decision = creditrules.evaluate(library["yrd-computer-application"], learner, "2025-06-30", trace="none")
    assert decision.trace == () and decision.to_dict()["trace_mode"] == "none"


def test_unknown_trace_mode_is_refused(library):
    with pytest.raises(creditrules.CreditRulesError) as info:
        creditrules.evaluate(library["yrd-computer-application"], {"id": "S1"}, "2025-06-30",
                             trace="everything")  # type: ignore[arg-type]
    assert str(info.value) == "trace must be one of full, compact, none, not 'everything'"
