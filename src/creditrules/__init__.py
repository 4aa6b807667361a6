"""creditrules: lifelong-learning achievements → academic credit, by rules anyone can check.

The public API is what ``__all__`` lists; everything else is private and may change::

    import creditrules
    library = creditrules.compile_standards("standards/")
    standard = library["yrd-computer-application"]
    decision = creditrules.evaluate(standard, creditrules.load_learner("examples/student-1x.yaml"),
                                    as_of="2025-06-30")
    print(creditrules.render_text(decision, standard.ruleset_for(decision.as_of), lang="zh"))

The library never prints and never exits; problems come back as values
(:class:`Diagnostic`) or as exceptions derived from :class:`CreditRulesError`.
"""

from ._version import __version__
from .api import compile_standards, validate
from .batch import BatchSummary, evaluate_batch
from .compiled import CompiledRuleset, CompiledStandard
from .compiler import CompiledLibrary, compile_library
from .decision import Award, Decision
from .errors import CreditRulesError, Diagnostic, LearnerError, NoVersionInForce, Severity, StandardError
from .evaluator import evaluate, evaluate_many
from .learner import Achievement, Learner, Rejection, learner_from_dict, load_learner
from .loader import StandardLibrary, load
from .render import render_explanation, render_text
from .schema import standard_schema

__all__ = [
    "Achievement",
    "Award",
    "BatchSummary",
    "CompiledLibrary",
    "CompiledRuleset",
    "CompiledStandard",
    "CreditRulesError",
    "Decision",
    "Diagnostic",
    "Learner",
    "LearnerError",
    "NoVersionInForce",
    "Rejection",
    "Severity",
    "StandardError",
    "StandardLibrary",
    "__version__",
    "compile_library",
    "compile_standards",
    "evaluate",
    "evaluate_batch",
    "evaluate_many",
    "learner_from_dict",
    "load",
    "load_learner",
    "render_explanation",
    "render_text",
    "standard_schema",
    "validate",
]
