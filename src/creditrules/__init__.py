"""creditrules: lifelong-learning achievements → academic credit, by rules anyone can check.

The public API is what ``__all__`` lists; everything else is private and may change::

    import creditrules
    library = creditrules.compile_standards("standards/")
    standard = library["yrd-computer-application"]
    decision = creditrules.evaluate(standard, creditrules.load_learner("examples/student-1x.yaml"),
                                    as_of="2025-06-30")
    print(creditrules.render_text(decision, standard.ruleset_for(decision.as_of), lang="zh"))
    same = creditrules.Decision.from_json(decision.to_json())    # == decision

Every type that appears in a public signature or field is exported here (``tests/test_contract.py``
walks them); the JSON form of a decision is typed in :mod:`creditrules.decision_format`, public too.
Credits are ``decimal.Decimal`` credits at the surface (``docs/contract.md``).

The library never prints and never exits; problems come back as values
(:class:`Diagnostic`) or as exceptions derived from :class:`CreditRulesError`.
"""

from ._version import __version__
from .api import Validation, compile_standards, validate
from .batch import BatchSummary, evaluate_batch
from .batch.summary import PartitionCounts
from .columns import ColumnMap
from .compiled import (
    AttributeInfo,
    CatalogInfo,
    CategoryInfo,
    CompiledAggregate,
    CompiledGate,
    CompiledNotTaken,
    CompiledRule,
    CompiledRuleset,
    CompiledSlot,
    CompiledStandard,
    CourseInfo,
    FrozenDict,
    GroupInfo,
    KindInfo,
    LimitsInfo,
    Origin,
    ProgramInfo,
    ScaleInfo,
    StandardRef,
    UnitInfo,
)
from .compiler import CompiledLibrary, compile_library
from .conditions import CompiledCondition
from .decision import (
    Application,
    Award,
    CandidateTrace,
    CategoryStatus,
    ConditionResult,
    Conflict,
    Decision,
    Eligibility,
    Exclusion,
    Limit,
    RuleTrace,
    SearchStats,
    SlotCheck,
    StandardStamp,
    Tally,
    Target,
    Unused,
)
from .decision_format import AwardRowJSON, DecisionJSON, RejectRowJSON
from .errors import (
    CreditRulesError,
    DecisionFormatError,
    Diagnostic,
    LearnerError,
    NoVersionInForce,
    Severity,
    StandardError,
    UnknownStandard,
)
from .evaluator import Matcher, evaluate, evaluate_many
from .learner import (
    Achievement,
    CourseRecord,
    Fact,
    Learner,
    LearnerContext,
    Rejection,
    learner_from_dict,
    load_learner,
)
from .limits import (
    AchievementLimit,
    AwardLimit,
    BudgetLimit,
    CategoryCountLimit,
    CategoryLimit,
    GroupLimit,
    KindCountLimit,
    LimitKind,
    LimitNames,
    RuleCreditLimit,
    RuleGroupCountLimit,
    RuleGroupCreditLimit,
    RuleUsesLimit,
    TotalLimit,
)
from .loader import SourceFile, StandardLibrary, load
from .outputs import Output, OutputError
from .records import RecordSource
from .render import render_explanation, render_text
from .schema import decision_schema, output_schema, standard_schema

__all__ = [
    "Achievement",
    "AchievementLimit",
    "Application",
    "AttributeInfo",
    "Award",
    "AwardLimit",
    "AwardRowJSON",
    "BatchSummary",
    "BudgetLimit",
    "CandidateTrace",
    "CatalogInfo",
    "CategoryCountLimit",
    "CategoryInfo",
    "CategoryLimit",
    "CategoryStatus",
    "ColumnMap",
    "CompiledAggregate",
    "CompiledCondition",
    "CompiledGate",
    "CompiledLibrary",
    "CompiledNotTaken",
    "CompiledRule",
    "CompiledRuleset",
    "CompiledSlot",
    "CompiledStandard",
    "ConditionResult",
    "Conflict",
    "CourseInfo",
    "CourseRecord",
    "CreditRulesError",
    "Decision",
    "DecisionFormatError",
    "DecisionJSON",
    "Diagnostic",
    "Eligibility",
    "Exclusion",
    "Fact",
    "FrozenDict",
    "GroupInfo",
    "GroupLimit",
    "KindCountLimit",
    "KindInfo",
    "Learner",
    "LearnerContext",
    "LearnerError",
    "Limit",
    "LimitKind",
    "LimitNames",
    "LimitsInfo",
    "Matcher",
    "NoVersionInForce",
    "Origin",
    "Output",
    "OutputError",
    "PartitionCounts",
    "ProgramInfo",
    "RecordSource",
    "RejectRowJSON",
    "Rejection",
    "RuleCreditLimit",
    "RuleGroupCountLimit",
    "RuleGroupCreditLimit",
    "RuleTrace",
    "RuleUsesLimit",
    "ScaleInfo",
    "SearchStats",
    "Severity",
    "SlotCheck",
    "SourceFile",
    "StandardError",
    "StandardLibrary",
    "StandardRef",
    "StandardStamp",
    "Tally",
    "Target",
    "TotalLimit",
    "UnitInfo",
    "UnknownStandard",
    "Unused",
    "Validation",
    "__version__",
    "compile_library",
    "compile_standards",
    "decision_schema",
    "evaluate",
    "evaluate_batch",
    "evaluate_many",
    "learner_from_dict",
    "load",
    "load_learner",
    "output_schema",
    "render_explanation",
    "render_text",
    "standard_schema",
    "validate",
]
