"""One learner, one standard, one date → a :class:`Decision`.

The evaluator is pure: it reads the compiled standard and the learner and
returns data; it never prints, writes or caches across calls, so one compiled
standard can serve many threads. Stages:

1. each certification standard the conversion standard ``uses`` turns raw
   records into certified outcomes (the records it uses are consumed, so
   nothing counts twice); a raw record that carries a certified outcome's code
   is refused: only certification issues those;
2. the rules a learner's codes reach (the ruleset's :mod:`plan` indexes them) are
   checked; a rule no record reaches costs nothing;
3. :func:`creditrules.allocate.allocate` picks the best set of awards, each award
   charged to typed :mod:`limits`;
4. the decision lists the awards, what the program still needs, and why each
   unused achievement earned nothing, as facts (rule, slot, limit, condition);
   :mod:`creditrules.render` puts them into words.

``trace`` sets how much of the working is kept: ``full`` every condition of every
rule reached, ``compact`` each reached rule's candidates, ``none`` nothing beyond
the decision. The decision itself — awards, totals, reasons, nearest misses — is
the same in all three.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Protocol, cast

from ._version import __version__
from .allocate import Allocation, Candidate, CountCap, CreditCap, allocate
from .compiled import (
    CompiledAggregate,
    CompiledGate,
    CompiledNotTaken,
    CompiledRule,
    CompiledRuleset,
    CompiledStandard,
    CourseInfo,
    from_centi,
)
from .conditions import format_value
from .dates import NotADay
from .dates import parse_day as read_day
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
from .errors import CreditRulesError
from .learner import (
    Achievement,
    Fact,
    Learner,
    Rejection,
    context_value,
    facts_for,
    learner_from_dict,
    reject_forged_outcome,
)
from .limits import AchievementLimit, AwardLimit, BudgetLimit, GroupLimit, KindCountLimit, LimitKind
from .matching import MAX_COMBINATIONS, slot_bindings
from .nearest import nearest_miss
from .normalise import normalise
from .plan import RulePlan, Unit


def parse_day(value: date | str | None) -> date:
    """The as-of day: ``None`` is today; otherwise a ``date`` or ``YYYY-MM-DD`` text, read by the one
    day reader (:mod:`creditrules.dates`), so a datetime, a timestamp or bytes get its exact reason."""
    if value is None:
        return date.today()
    if type(value) is date:
        return value
    day = read_day(value)
    if isinstance(day, NotADay):
        raise CreditRulesError(f"as-of date: {day.en}")
    return day


TraceMode = Literal["full", "compact", "none"]
TRACE_MODES: tuple[str, ...] = ("full", "compact", "none")


class Matcher(Protocol):
    """Decides which achievements meet which rule slots; the evaluator does the rest.

    The native matcher is built in; :mod:`creditrules.backends` may offer others (a
    Rete engine, say). Whatever decides the matches, allocation, limits and the trace
    stay the evaluator's, so every backend gives the same kind of decision."""

    def match(self, ruleset: CompiledRuleset, facts: list[Fact], as_of: date) -> set[tuple[int, int, str]]:
        """(rule index, slot index, achievement id) for every slot an achievement meets."""
        ...


def evaluate(standard: CompiledStandard | CompiledRuleset, learner: Learner | Mapping[str, Any],
             as_of: date | str | None = None, *, trace: TraceMode = "full",
             matcher: Matcher | None = None) -> Decision:
    """Decide what ``learner`` is credited under ``standard`` on ``as_of`` (default: today).

    ``learner`` is a :class:`Learner` or the mapping a learner file holds. ``trace``:
    ``full`` records every condition of every rule considered; ``compact`` keeps each
    rule's result and candidates but not the per-condition checks; ``none`` keeps no rule
    trace. Awards, totals and the reason for every unused achievement (with its nearest
    miss) are the same in all three. Raises NoVersionInForce if no version covers the
    date, LearnerError if the record is unusable as a whole; a bad achievement is only
    rejected.
    """
    if trace not in TRACE_MODES:
        raise CreditRulesError(f"trace must be one of {', '.join(TRACE_MODES)}, not '{trace}'")
    day = parse_day(as_of)
    if not isinstance(learner, Learner):
        learner = learner_from_dict(learner)
    ruleset = standard.ruleset_for(day) if isinstance(standard, CompiledStandard) else standard
    if ruleset.kind == "base":
        raise CreditRulesError(f"'{ruleset.id}' is a base standard; evaluate a standard that extends it")
    return _Evaluation(ruleset, learner, day, trace, matcher).run()


def evaluate_many(standards: Sequence[CompiledStandard | CompiledRuleset], learner: Learner | Mapping[str, Any],
                  as_of: date | str | None = None, *, trace: TraceMode = "full") -> tuple[Decision, ...]:
    """Decide one learner against several conversion standards of one program at once, as one allocation.

    Each standard keeps its own rules and limits, and its own decision (returned sorted by standard id, so
    the order given never matters). Together: a course is credited once across all of them, an achievement
    serves one award across all of them, and a budget that several standards declare (``limits.shared``,
    usually in a base they extend) is one capacity for all their awards. The set chosen is the best across
    the standards together (the most credit in all; ties broken in the placement order, standards taken in
    id order after priority), exactly as one standard's awards are chosen.
    """
    if trace not in TRACE_MODES:
        raise CreditRulesError(f"trace must be one of {', '.join(TRACE_MODES)}, not '{trace}'")
    day = parse_day(as_of)
    if not isinstance(learner, Learner):
        learner = learner_from_dict(learner)
    rulesets = [s.ruleset_for(day) if isinstance(s, CompiledStandard) else s for s in standards]
    if not rulesets:
        raise CreditRulesError("evaluate_many needs at least one standard")
    rulesets.sort(key=lambda r: r.id)
    ids = [r.id for r in rulesets]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise CreditRulesError(f"standard '{repeated[0]}' is given twice; give each standard once")
    for ruleset in rulesets:
        if ruleset.kind != "conversion":
            raise CreditRulesError(f"'{ruleset.id}' is a {ruleset.kind} standard; evaluate_many decides conversion "
                                   "standards together")
    programs = sorted({r.program.code for r in rulesets if r.program is not None})
    if len(programs) > 1:
        raise CreditRulesError(f"the standards credit different programs ({', '.join(programs)}); decide standards "
                               "of one program together")
    budgets: dict[str, int] = {}
    for ruleset in rulesets:
        for limit, capacity in ruleset.limits.award_limits:
            if isinstance(limit, BudgetLimit) and budgets.setdefault(limit.budget, capacity) != capacity:
                raise CreditRulesError(f"the shared budget '{limit.budget}' has different maximums in the standards "
                                       "given; declare it once, in a base they all extend")
    return _Together(rulesets, learner, day, trace).run()


class _Together:
    """Several standards' last stages as one allocation: each evaluation is run twice — once to collect its
    candidates and caps, once to conclude with its share of the joint answer. Evaluation is deterministic,
    so the second run makes the same candidates in the same order."""

    def __init__(self, rulesets: list[CompiledRuleset], learner: Learner, as_of: date, trace: str):
        self.rulesets, self.learner, self.as_of, self.trace = rulesets, learner, as_of, trace
        self.collected: dict[int, tuple[list[Candidate], list[CreditCap], list[CountCap]]] = {}
        self.answers: dict[int, tuple[Allocation, list[CandidateTrace | None]]] = {}

    def _evaluation(self, position: int, joint: Any) -> _Evaluation:
        evaluation = _Evaluation(self.rulesets[position], self.learner, self.as_of, self.trace)
        evaluation.position, evaluation.joint = position, joint
        return evaluation

    def _collect(self, evaluation: _Evaluation, candidates: list[Candidate], credit_caps: list[CreditCap],
                 count_caps: list[CountCap]) -> tuple[Allocation, list[CandidateTrace | None]]:
        self.collected[evaluation.position] = (candidates, credit_caps, count_caps)
        return Allocation({}, True, 0, 0, 0), [None] * len(candidates)

    def _answer(self, evaluation: _Evaluation, candidates: list[Candidate], credit_caps: list[CreditCap],
                count_caps: list[CountCap]) -> tuple[Allocation, list[CandidateTrace | None]]:
        return self.answers.get(evaluation.position) or self._collect(evaluation, candidates, credit_caps, count_caps)

    def run(self) -> tuple[Decision, ...]:
        for position in range(len(self.rulesets)):
            self._evaluation(position, self._collect).run()
        self._solve()
        return tuple(self._evaluation(position, self._answer).run() for position in range(len(self.rulesets)))

    def _solve(self) -> None:
        credit_caps: list[CreditCap] = []
        count_caps: list[CountCap] = []
        shared: dict[LimitKind, int] = {}
        joint: list[tuple[int, int, Candidate]] = []
        for position, (candidates, credits, counts) in sorted(self.collected.items()):
            credit_map: list[int] = []
            for cap in credits:
                if isinstance(cap.key, AwardLimit) and cap.key.shared:
                    if cap.key not in shared:
                        shared[cap.key] = len(credit_caps)
                        credit_caps.append(cap)
                    credit_map.append(shared[cap.key])
                else:
                    credit_map.append(len(credit_caps))
                    credit_caps.append(cap)
            count_base = len(count_caps)
            count_caps.extend(counts)
            for local, cand in enumerate(candidates):
                copy = Candidate(cand.order, cand.amount, cand.divisible,
                                 tuple((token, (position, owner)) for token, owner in cand.tokens),
                                 tuple((credit_map[c], share) for c, share in cand.shares),
                                 tuple((count_base + c, frozenset((position, item) for item in items))
                                       for c, items in cand.counts), cand.payload)
                joint.append((position, local, copy))
        joint.sort(key=lambda entry: entry[2].order)
        candidates = [entry[2] for entry in joint]
        for index, cand in enumerate(candidates):
            cand.index = index
        allocation = allocate(candidates, credit_caps, count_caps, None)
        traces = _explain(candidates, allocation.chosen, credit_caps, count_caps, self.trace != "none")
        for position, (own, _, _) in self.collected.items():
            chosen = {local: allocation.chosen[index] for index, (at, local, _) in enumerate(joint)
                      if at == position and index in allocation.chosen}
            local_traces: list[CandidateTrace | None] = [None] * len(own)
            for index, (at, local, _) in enumerate(joint):
                if at == position:
                    local_traces[local] = traces[index]
            self.answers[position] = (Allocation(chosen, True, allocation.components, allocation.nodes,
                                                 allocation.searched, allocation.paths), local_traces)


# A rule's match: the facts bound, the credits an aggregate computed (None: the rule's own), how an aggregate
# added up, and the one course an aggregate grouped by course reaches (None: every unit of the rule).
_Binding = tuple[tuple[Fact, ...], int | None, Tally | None, tuple[str, ...] | None]

# Exclusive things an award uses. Typed tuples, never text: an id may hold any character.
_COURSE, _ACHIEVEMENT, _REUSE = 0, 1, 2


@dataclass(slots=True)
class _Payload:
    rule: CompiledRule
    facts: tuple[Fact, ...]
    courses: tuple[str, ...]
    tally: Tally | None
    target: Target
    plan: RulePlan
    unit: Unit


@dataclass
class _StageResult:
    awards: list[Award] = field(default_factory=list)
    traces: list[RuleTrace] = field(default_factory=list)
    used: dict[str, list[str]] = field(default_factory=dict)  # achievement → rules that used it
    candidate_traces: dict[str, list[CandidateTrace]] = field(default_factory=dict)
    checks: dict[str, list[tuple[CompiledRule, SlotCheck]]] = field(default_factory=dict)
    stats: tuple[int, int, int, int, bool] = (0, 0, 0, 0, True)
    tallies: dict[str, Tally] = field(default_factory=dict)  # aggregate rules that fell short


class _Evaluation:
    def __init__(self, ruleset: CompiledRuleset, learner: Learner, as_of: date, trace: str = "full",
                 matcher: Matcher | None = None):
        self.ruleset, self.learner, self.as_of = ruleset, learner, as_of
        self.trace, self.matcher = trace, matcher
        self.detailed = trace == "full"
        self.stage_facts: list[tuple[CompiledRuleset, dict[str, Fact]]] = []  # for nearest misses, lazily
        self.history = learner.context.statuses  # course code → statuses; empty without a course history
        self.gates_failed: dict[int, tuple[ConditionResult, ...]] = {}  # id() of a rule whose gate failed → what failed
        self.eligibility: list[Eligibility] = []
        self.member_tallies: dict[str, tuple[str, Tally]] = {}  # record → (rule, its course's shortfall)
        self.member_misses: dict[str, tuple[str, ConditionResult]] = {}  # record → (rule, its course not granted)
        self.position = 0  # this standard's place among standards decided together (evaluate_many)
        # decides the last stage's candidates together with other standards' (evaluate_many); None: alone
        self.joint: Callable[[_Evaluation, list[Candidate], list[CreditCap], list[CountCap]],
                             tuple[Allocation, list[CandidateTrace | None]]] | None = None

    # ------------------------------------------------------------ the learner's context

    def _gate(self, ruleset: CompiledRuleset, gate: CompiledGate) -> tuple[ConditionResult, ...]:
        """Every condition of a gate on the learner, checked: context attributes typed by ``ruleset``."""
        raw = self.learner.context.attributes
        results = [ConditionResult(c.attribute, c.op, c.required, raw.get(c.attribute),
                                   c.check(context_value(ruleset, c.attribute, raw.get(c.attribute)), self.as_of))
                   for c in gate.conditions]
        history = self.history
        for code in gate.passed:
            found = history.get(code, frozenset())
            results.append(ConditionResult("courses", "passed", code, _statuses(found), "passed" in found))
        for code in gate.not_taken:
            found = history.get(code, frozenset()) & _TAKEN
            results.append(ConditionResult("courses", "not_taken", code, _statuses(found), not found))
        return tuple(results)

    def _eligible(self, ruleset: CompiledRuleset) -> bool:
        if ruleset.eligibility is None:
            return True
        checked = Eligibility(ruleset.id, self._gate(ruleset, ruleset.eligibility))
        self.eligibility.append(checked)
        return checked.ok

    def run(self) -> Decision:
        rejected: list[Rejection] = list(self.learner.rejected)
        invalid: set[str] = set()  # valid-looking records whose values a standard refused
        pool: list[Achievement] = sorted(self.learner.achievements, key=lambda a: a.id)
        traces: list[RuleTrace] = []
        outcomes: list[Award] = []
        consumed: dict[str, str] = {}
        known_somewhere: set[str] = set()
        checks: dict[str, list[tuple[CompiledRule, SlotCheck]]] = {}
        candidate_traces: dict[str, list[CandidateTrace]] = {}
        stages = [*self.ruleset.certifications, self.ruleset] if self.ruleset.kind == "conversion" \
            else [self.ruleset]
        stats = [0, 0, 0, 0, True]
        unknown_last: list[Rejection] = []
        certified: list[Achievement] = []
        tallies: dict[str, Tally] = {}
        forged = self.ruleset.plan.outcome_codes
        if forged:
            kept = []
            for ach in pool:
                certifier = forged.get(self.ruleset.aliases.get(ach.code, ach.code))
                if certifier is not None:
                    invalid.add(ach.id)
                    rejected.append(reject_forged_outcome(ach, certifier))
                else:
                    kept.append(ach)
            pool = kept
        taken_ids = {a.id for a in self.learner.achievements}
        if not self._eligible(self.ruleset):
            return self._not_eligible(rejected, pool)
        for stage in stages:
            is_last = stage is stages[-1]
            facts, unknown, bad = facts_for(stage, pool, self.as_of)
            for item in bad:
                if item.achievement not in invalid:
                    invalid.add(item.achievement)
                    rejected.append(item)
            known_somewhere.update(f.id for f in facts)
            if is_last:
                unknown_last = unknown
            result = self._stage(stage, facts, "conversion" if is_last and stage.kind == "conversion" else stage.id)
            traces.extend(result.traces)
            tallies.update(result.tallies)
            for achievement_id, found in result.checks.items():
                checks.setdefault(achievement_id, []).extend(found)
            for achievement_id, traced in result.candidate_traces.items():
                candidate_traces.setdefault(achievement_id, []).extend(traced)
            stats = [stats[0] + result.stats[0], stats[1] + result.stats[1], stats[2] + result.stats[2],
                     stats[3] + result.stats[3], stats[4] and result.stats[4]]
            if is_last:
                awards = result.awards
                used_last = result.used
            else:
                outcomes.extend(result.awards)
                for award in result.awards:
                    for source in award.achievements:
                        consumed[source] = f"{stage.id}:{award.rule}"
                new = [self._outcome_achievement(stage, award, taken_ids) for award in result.awards]
                certified.extend(new)
                pool = sorted([a for a in pool if a.id not in consumed] + new, key=lambda a: a.id)
        application = self._application(awards)
        by_category: dict[str, int] = {}
        for award in awards:
            if award.courses:
                for course in award.courses:
                    by_category[course.category] = by_category.get(course.category, 0) + course.credits
            elif award.category is not None:
                by_category[award.category] = by_category.get(award.category, 0) + award.credits_centi
        total = sum(a.credits_centi for a in awards)
        unused = self._unused([*self.learner.achievements, *certified], used_last, consumed, invalid,
                              unknown_last, known_somewhere, checks, candidate_traces, tallies)
        return Decision(
            learner=self.learner.id, standard=self._stamp(), as_of=self.as_of, engine_version=__version__,
            awards=tuple(awards), outcomes=tuple(outcomes), total_centi=total,
            by_category_centi=tuple(sorted(by_category.items())), application=application, unused=tuple(unused),
            rejected=tuple(sorted(rejected, key=_rejection_order)), trace=tuple(traces),
            search=SearchStats(stats[0], stats[1], stats[2], stats[3], bool(stats[4])),
            total_cap_centi=self.ruleset.limits.total, trace_mode=self.trace,
            unit=self.ruleset.unit, eligibility=tuple(self.eligibility))

    def _stamp(self) -> StandardStamp:
        """The standard's stamp: the same for every decision under it, so made once."""
        constants = self.ruleset.plan.constants
        stamp = constants.stamp
        if stamp is None:
            ruleset = self.ruleset
            stamp = constants.stamp = StandardStamp(
                ruleset.id, ruleset.version, ruleset.content_hash, ruleset.effective_from, ruleset.effective_until,
                tuple((r.id, r.version, r.content_hash) for r in ruleset.chain))
        return cast(StandardStamp, stamp)

    def _not_eligible(self, rejected: list[Rejection], pool: list[Achievement]) -> Decision:
        """The learner fails the standard's eligibility: nothing is awarded, and every achievement says why."""
        failed = self.eligibility[-1].failed
        unused = tuple(Unused(a.id, a.code, "not-eligible", eligibility=failed)
                       for a in sorted(pool, key=lambda a: _natural(a.id)))
        return Decision(
            learner=self.learner.id, standard=self._stamp(), as_of=self.as_of, engine_version=__version__,
            awards=(), outcomes=(), total_centi=0, by_category_centi=(), application=self._application([]),
            unused=unused,
            rejected=tuple(sorted(rejected, key=_rejection_order)), trace=(), search=SearchStats(0, 0, 0, 0, True),
            total_cap_centi=self.ruleset.limits.total, trace_mode=self.trace, unit=self.ruleset.unit,
            eligibility=tuple(self.eligibility))

    # ------------------------------------------------------------ certified outcomes

    def _outcome_achievement(self, stage: CompiledRuleset, award: Award, taken: set[str]) -> Achievement:
        rule = stage.rule(award.rule)
        assert rule is not None and award.outcome is not None
        sources = [a for a in self.learner.achievements if a.id in award.achievements]
        obtained = max((a.obtained for a in sources), default=self.as_of)
        attributes: dict[str, Any] = dict(rule.outcome_attributes)
        attributes["credits"] = from_centi(award.credits_centi)
        name = f"{stage.id}:{award.rule}:{'+'.join(award.achievements)}"
        while name in taken:  # a record's id may look like anything; a certified outcome's must be its own
            name += "'"
        taken.add(name)
        return Achievement(name, award.outcome, obtained, True, stage.id, None, attributes)

    # ------------------------------------------------------------ one stage

    def _stage(self, ruleset: CompiledRuleset, facts: list[Fact], stage: str) -> _StageResult:
        result = _StageResult()
        plan = ruleset.plan
        self.stage_facts.append((ruleset, {f.id: f for f in facts}))
        passing = self.matcher.match(ruleset, facts, self.as_of) if self.matcher is not None else None
        by_rule: dict[int, list[Fact]] = {}
        for fact in facts:
            for index in plan.by_code.get(fact.code, ()):
                found = by_rule.get(index)
                if found is None:
                    by_rule[index] = [fact]
                else:
                    found.append(fact)
        candidates: list[Candidate] = []
        excluded: list[CandidateTrace] = []
        rule_checks: dict[int, list[SlotCheck]] = {}
        rule_notes: dict[int, str | Tally] = {}
        rule_gates: dict[int, tuple[ConditionResult, ...]] = {}
        reached = sorted(by_rule)
        stage_open = ruleset is self.ruleset or self._eligible(ruleset)  # a certification's own eligibility
        for index in reached:
            rule_plan = plan.rules[index]
            rule = rule_plan.rule
            checks, bindings, note = self._match(rule_plan, by_rule[index], passing)
            rule_checks[index] = checks
            if note is not None:
                rule_notes[index] = note
            for check in checks:
                result.checks.setdefault(check.achievement, []).append((rule, check))
            if rule.requires is not None:
                gate = rule_gates[index] = self._gate(ruleset, rule.requires)
                if not all(c.ok for c in gate):
                    self.gates_failed[id(rule)] = tuple(c for c in gate if not c.ok)
                    continue
            if not stage_open:
                continue
            for binding, amount, tally, only in bindings:
                self._candidates(candidates, rule_plan, binding, amount, tally, excluded, only)
        candidates.sort(key=_order)
        for i, cand in enumerate(candidates):
            cand.index = i
        credit_caps, count_caps, total_index = self._caps(ruleset, candidates) \
            if candidates or self.joint is not None else ([], [], None)
        explain_all = self.trace != "none"
        if self.joint is not None and ruleset is self.ruleset:  # decided together with other standards
            allocation, cand_traces = self.joint(self, candidates, credit_caps, count_caps)
        elif not candidates:  # nothing to choose: most learners of a province, for most stages
            allocation, cand_traces = _NOTHING, []
        else:
            allocation = allocate(candidates, credit_caps, count_caps, total_index, memo=plan.allocations)
            cand_traces = _explain(candidates, allocation.chosen, credit_caps, count_caps, explain_all)
        chosen = allocation.chosen
        per_rule: dict[int, list[CandidateTrace]] = {}
        for cand, trace in zip(candidates, cand_traces):
            if trace is None:
                continue
            payload: _Payload = cand.payload  # type: ignore[assignment]
            for fact in payload.facts:
                result.candidate_traces.setdefault(fact.id, []).append(trace)
            per_rule.setdefault(payload.rule.index, []).append(trace)
        for trace in excluded:  # course awards the learner's history suppressed: never offered to allocation
            for achievement in trace.achievements:
                result.candidate_traces.setdefault(achievement, []).append(trace)
            found_rule = ruleset.rule(trace.rule)
            assert found_rule is not None
            per_rule.setdefault(found_rule.index, []).append(trace)
        for index in range(len(plan.rules)) if self.detailed else reached:  # full: every rule, reached or not
            note = rule_notes.get(index)
            rule = plan.rules[index].rule
            if isinstance(note, Tally):
                result.tallies[rule.id] = note
            if not explain_all or (self.trace == "compact" and index not in per_rule and note is None
                                   and index not in rule_gates):
                continue
            origin = plan.rules[index].origin
            tally = note if isinstance(note, Tally) else next(
                (c.tally for c in per_rule.get(index, ()) if c.tally is not None), None)
            result.traces.append(RuleTrace(rule.id, rule.name_zh, rule.name_en, rule.origin.standard_id,
                                           rule.origin.version, origin, stage, tuple(rule_checks.get(index, ())),
                                           tuple(per_rule.get(index, ())),
                                           note if isinstance(note, str) else None, tally, rule_gates.get(index, ())))
        awards = []
        for i in sorted(chosen, key=lambda i: (candidates[i].payload.courses[:1],  # type: ignore[attr-defined]
                                               candidates[i].payload.rule.index, i)):  # type: ignore[attr-defined]
            cand = candidates[i]
            award = self._award(ruleset, cand, chosen[i], cand_traces[i])
            awards.append(award)
            for ach in award.achievements:
                result.used.setdefault(ach, []).append(award.rule)
        awards.sort(key=lambda a: (a.target != "course", a.courses[0].code if a.courses else ""))
        result.awards = awards
        result.stats = (len(candidates), allocation.components, allocation.searched, allocation.nodes,
                        allocation.optimal)
        return result

    def _check(self, rule: CompiledRule, slot_index: int, fact: Fact) -> SlotCheck:
        slot = rule.slots[slot_index]
        results = []
        values, shown, as_of = fact.values, fact.shown, self.as_of
        for condition in slot.conditions:
            ok = condition.check(values.get(condition.attribute), as_of)
            results.append(ConditionResult(condition.attribute, condition.op, condition.required,
                                           shown.get(condition.attribute), ok))
        return SlotCheck(fact.id, slot_index, tuple(results))

    def _meets(self, rule: CompiledRule, slot_index: int, fact: Fact,
               passing: set[tuple[int, int, str]] | None, checks: list[SlotCheck]) -> bool:
        """Whether ``fact`` meets the slot. In full-trace mode every condition's result is
        recorded in ``checks``; otherwise the check stops at the first failing condition."""
        if self.detailed:
            check = self._check(rule, slot_index, fact)
            checks.append(check)
            return check.ok if passing is None else (rule.index, slot_index, fact.id) in passing
        if passing is not None:
            return (rule.index, slot_index, fact.id) in passing
        values, as_of = fact.values, self.as_of
        for condition in rule.slots[slot_index].conditions:
            if not condition.check(values.get(condition.attribute), as_of):
                return False
        return True

    def _match(self, rule_plan: RulePlan, facts: list[Fact], passing: set[tuple[int, int, str]] | None = None
               ) -> tuple[list[SlotCheck], list[_Binding], str | Tally | None]:
        """Every check made, the bindings that pass (facts, computed credits or None, how an
        aggregate added up), and a note on why nothing passed (a shortfall, or a cut-off)."""
        rule = rule_plan.rule
        checks: list[SlotCheck] = []
        if rule.shape == "one":
            return checks, [((fact,), None, None, None) for fact in facts
                            if self._meets(rule, 0, fact, passing, checks)], None
        if rule.shape == "all":
            per_slot: list[frozenset[int]] = []
            for slot_index, slot in enumerate(rule.slots):
                per_slot.append(frozenset(
                    i for i, fact in enumerate(facts)
                    if (slot.codes is None or fact.code in slot.codes) and fact.kind in slot.kinds
                    and self._meets(rule, slot_index, fact, passing, checks)))
            combos, complete = slot_bindings(len(facts), per_slot)
            note = None if complete else \
                f"only the first {MAX_COMBINATIONS} combinations of achievements were considered"
            return checks, [(tuple(facts[i] for i in combo), None, None, None) for combo in combos], note
        # aggregate
        agg = rule.aggregate
        assert agg is not None
        members = [fact for fact in facts if self._meets(rule, 0, fact, passing, checks)]
        if not members:
            return checks, [], None
        if agg.by is not None:
            by_course, short = self._by_course(rule, agg, members)
            return checks, by_course, short
        if agg.total == "count":
            amount = Decimal(len(members))
        else:
            amount = sum((Decimal(repr(f.values.get(agg.total) or 0.0)) for f in members), Decimal(0))
        rounded = agg.credits_for(amount, capped=False)
        credits = min(rounded, agg.max) if agg.max is not None else rounded
        maximum = agg.max if agg.max is not None and rounded > agg.max else None
        text = format(amount.normalize(), "f")
        if rule.target == "courses":
            if credits < rule.credits:
                return checks, [], Tally(len(members), agg.total, text, rounded, maximum, rule.credits)
            credits = rule.credits
        tally = Tally(len(members), agg.total, text, rounded, maximum, None)
        if credits <= 0:
            return checks, [], tally
        return checks, [(tuple(members), credits, tally, None)], None

    def _by_course(self, rule: CompiledRule, agg: CompiledAggregate, members: list[Fact]
                   ) -> tuple[list[_Binding], Tally | None]:
        """An aggregate grouped ``by`` course: the records naming each course of the grant add up on their own,
        at that course's ratio, rounding and cap; a course is awarded when its sum reaches the course's credits.
        Records naming no course of the grant count toward none."""
        program = self.ruleset.program
        by = agg.by
        assert by is not None
        by_course: dict[str, list[Fact]] = {}
        granted = {normalise(course) for course in rule.courses}
        for fact in members:
            value = fact.values.get(by)
            key = normalise(str(value)) if value is not None else ""
            if key in granted:
                by_course.setdefault(key, []).append(fact)
            else:  # a record for a course this rule does not credit: the condition it misses, in the decision
                self.member_misses[fact.id] = (rule.id, ConditionResult(
                    by, "in", list(rule.courses), fact.shown.get(by), False))
        bindings: list[_Binding] = []
        short: Tally | None = None
        for course in rule.courses:
            found = by_course.get(normalise(course))
            if not found:
                continue
            spec = agg.for_course(course)
            if agg.total == "count":
                amount = Decimal(len(found))
            else:
                amount = sum((Decimal(repr(f.values.get(agg.total) or 0.0)) for f in found), Decimal(0))
            rounded = spec.credits_for(amount, capped=False)
            credits = min(rounded, spec.max) if spec.max is not None else rounded
            maximum = spec.max if spec.max is not None and rounded > spec.max else None
            needed = program.courses[course].credits if program is not None and course in program.courses else 0
            text = format(amount.normalize(), "f")
            if credits < needed:
                tally = Tally(len(found), agg.total, text, rounded, maximum, needed, course)
                for fact in found:
                    self.member_tallies[fact.id] = (rule.id, tally)
                short = short or tally
                continue
            bindings.append((tuple(found), needed, Tally(len(found), agg.total, text, rounded, maximum, None, course),
                             (course,)))
        return bindings, (short if not bindings else None)

    def _candidates(self, out: list[Candidate], rule_plan: RulePlan, facts: tuple[Fact, ...],
                    computed: int | None, tally: Tally | None, excluded: list[CandidateTrace],
                    only: tuple[str, ...] | None = None) -> None:
        rule = rule_plan.rule
        ids = tuple(sorted(f.id for f in facts))
        # Exclusive things. An achievement is one rule-binding's alone, unless the rule is
        # reusable: then it is shared with other reusable rules, but still used by one
        # binding of this rule only (awards of one `mode: each` binding share it).
        owner: Hashable = "reusable" if rule.reusable else (rule.index, ids)
        achievement_tokens: list[tuple[Hashable, Hashable]] = [((_ACHIEVEMENT, i), owner) for i in ids]
        if rule.reusable:
            achievement_tokens += [((_REUSE, i, rule.index), ids) for i in ids]
        divisible = rule_plan.divisible
        for unit in rule_plan.units:
            courses = unit.courses
            if only is not None and courses != only:
                continue  # an aggregate grouped by course: these records reach this course only
            if courses:
                amount = unit.amount
                target = Target(courses=courses)
                if rule.not_taken is not None and self.history:
                    exclusion = _exclusion(rule.not_taken, courses, self.history)
                    if exclusion is not None:
                        excluded.append(CandidateTrace(rule.id, ids, target, amount, "excluded", tally=tally,
                                                       exclusion=exclusion))
                        continue
                course_owner = ("course", rule.index, ids, courses)
                tokens = tuple([((_COURSE, c), course_owner) for c in courses] + achievement_tokens)
            else:
                amount = computed if computed is not None else rule.credits
                target = Target(outcome=rule.outcome) if rule.outcome else Target(category=rule.category)
                tokens = tuple(achievement_tokens)
            order = (1 if divisible else 0, -rule.priority, self.position, rule.index, ids, courses)
            out.append(Candidate(order, amount, divisible, tokens, (), (),
                                 _Payload(rule, facts, courses, tally, target, rule_plan, unit)))

    def _caps(self, ruleset: CompiledRuleset, candidates: list[Candidate]
              ) -> tuple[list[CreditCap], list[CountCap], int | None]:
        limits = ruleset.limits
        plan = ruleset.plan
        credit_caps: list[CreditCap] = []
        count_caps: list[CountCap] = []
        credit_index: dict[LimitKind, int] = {}
        count_index: dict[LimitKind, int] = {}

        def credit(key: LimitKind, limit: int) -> int:
            found = credit_index.get(key)
            if found is None:
                found = credit_index[key] = len(credit_caps)
                credit_caps.append(CreditCap(key, limit))
            return found

        def count(key: LimitKind, limit: int) -> int:
            found = count_index.get(key)
            if found is None:
                found = count_index[key] = len(count_caps)
                count_caps.append(CountCap(key, limit))
            return found

        total_index = credit(*plan.total) if plan.total is not None else None
        per_achievement = limits.per_achievement
        kind_counts = limits.kind_counts
        groups = limits.groups
        for cand in candidates:
            payload: _Payload = cand.payload  # type: ignore[assignment]
            rule_plan = payload.plan
            amount = cand.amount
            shares: list[tuple[int, int]] = []
            if total_index is not None:
                shares.append((total_index, amount))
            if payload.courses:
                for category, share in payload.unit.category_shares:
                    shares.append((credit(category, limits.categories[category.category]), share))
            for key, capacity in rule_plan.credit_limits:
                shares.append((credit(key, capacity), amount))
            unit = payload.unit
            for key, capacity in unit.award_credits:
                shares.append((credit(key, capacity), amount))
            counts: dict[int, frozenset[Hashable]] = {}
            if rule_plan.uses_limit is not None:
                counts[count(*rule_plan.uses_limit)] = frozenset([cand.index])
            for key, capacity in unit.award_counts:  # one per award
                counts[count(key, capacity)] = frozenset([cand.index])
            if payload.rule.shape != "aggregate" and (per_achievement is not None or kind_counts or groups):
                for fact in payload.facts:
                    if per_achievement is not None:
                        shares.append((credit(AchievementLimit(fact.id), per_achievement), amount))
                    most = kind_counts.get(fact.kind)
                    if most is not None:
                        _add_item(counts, count(KindCountLimit(fact.kind), most), fact.id)
                    for group in groups:
                        value = fact.values.get(group.key)  # normalised: '１' and '1' are one event
                        if fact.kind in group.kinds and value is not None:
                            _add_item(counts, count(GroupLimit(group.id, format_value(value)), group.max), fact.id)
            cand.shares = tuple(shares)
            cand.counts = tuple(sorted(counts.items()))
        return credit_caps, count_caps, total_index

    def _award(self, ruleset: CompiledRuleset, cand: Candidate, placed: int, trace: CandidateTrace | None) -> Award:
        payload: _Payload = cand.payload  # type: ignore[assignment]
        rule = payload.rule
        courses: tuple[CourseInfo, ...] = ()
        if payload.courses and ruleset.program is not None:
            courses = tuple(ruleset.program.courses[code] for code in payload.courses)
        target = "course" if courses else ("outcome" if rule.outcome else "category")
        capped = trace.limit if trace is not None and trace.outcome == "capped" else None
        return Award(rule.id, rule.name_zh, rule.name_en, rule.origin.standard_id, rule.origin.version, target,
                     courses, rule.category, rule.outcome, placed, cand.amount, self._grade(rule, payload.facts),
                     tuple(sorted(f.id for f in payload.facts)), capped, payload.tally)

    @staticmethod
    def _grade(rule: CompiledRule, facts: tuple[Fact, ...]) -> str | None:
        if rule.grade_from is None:
            return rule.grade
        for fact in facts:
            value = fact.shown.get(rule.grade_from)
            if value is None:
                continue
            text = normalise(str(value))
            for key, grade in rule.grade_map:
                # the one normalisation (normalise.py): '一级（高级技师） ' matched the level, so it maps too
                if normalise(key) == text or (
                        isinstance(value, (int, float)) and _same_number(key, value)):
                    return grade
        return rule.grade_default

    # ------------------------------------------------------------ application and unused

    def _application(self, awards: list[Award]) -> Application | None:
        program = self.ruleset.program
        if program is None or self.ruleset.kind != "conversion":
            return None
        if not awards:  # most learners of a province: the same for all, so made once
            constants = self.ruleset.plan.constants
            if constants.nothing_awarded is None:
                constants.nothing_awarded = self._application_of(program, awards)
            return cast(Application, constants.nothing_awarded)
        return self._application_of(program, awards)

    @staticmethod
    def _application_of(program: Any, awards: list[Award]) -> Application:
        credited: dict[str, int] = {}
        done: set[str] = set()
        for award in awards:
            for course in award.courses:
                credited[course.category] = credited.get(course.category, 0) + course.credits
                done.add(course.code)
            if award.category is not None:
                credited[award.category] = credited.get(award.category, 0) + award.credits_centi
        categories = tuple(CategoryStatus(c.id, c.name_zh, c.name_en, c.required, credited.get(c.id, 0))
                           for c in program.categories.values())
        remaining = tuple(code for code in program.courses if code not in done)
        return Application(program.code, program.name_zh, program.name_en, program.total_credits,
                           sum(a.credits_centi for a in awards), categories, remaining)

    def _checks_for(self, achievement: str) -> list[tuple[CompiledRule, SlotCheck]]:
        """Every condition of every rule slot an achievement could fill, checked in full: the
        material of a nearest miss, computed only for achievements that earned nothing."""
        found: list[tuple[CompiledRule, SlotCheck]] = []
        for ruleset, facts in self.stage_facts:
            fact = facts.get(achievement)
            if fact is None:
                continue
            for index in ruleset.plan.by_code.get(fact.code, ()):
                rule = ruleset.rules[index]
                for slot_index, slot in enumerate(rule.slots):
                    if (slot.codes is None or fact.code in slot.codes) and fact.kind in slot.kinds:
                        found.append((rule, self._check(rule, slot_index, fact)))
        return found

    def _unused(self, achievements: list[Achievement], used: dict[str, list[str]], consumed: dict[str, str],
                rejected: set[str], unknown: list[Rejection], known: set[str],
                checks: dict[str, list[tuple[CompiledRule, SlotCheck]]],
                candidate_traces: dict[str, list[CandidateTrace]], tallies: dict[str, Tally]) -> list[Unused]:
        """Why each achievement (certified outcomes included) that earned nothing earned nothing."""
        unknown_by_id = {u.achievement: u for u in unknown}
        result: list[Unused] = []
        left = [a for a in achievements if a.id not in used and a.id not in consumed and a.id not in rejected]
        for ach in sorted(left, key=lambda a: _natural(a.id)) if len(left) > 1 else left:
            if ach.id in unknown_by_id and ach.id not in known:
                result.append(Unused(ach.id, ach.code, "unknown-code", unknown_by_id[ach.id].reason))
                continue
            traces = [t for t in candidate_traces.get(ach.id, []) if t.outcome not in ("awarded", "capped")]
            if traces:
                first = traces[0]
                result.append(Unused(ach.id, ach.code, first.outcome, candidate=first))
                continue
            tried = checks.get(ach.id, []) if self.detailed else self._checks_for(ach.id)
            if not tried:
                result.append(Unused(ach.id, ach.code, "no-rule"))
                continue
            gates = self.gates_failed
            rule, check = min(tried, key=lambda pair: (
                len(pair[1].failed) + len(gates.get(id(pair[0]), ())) if gates else len(pair[1].failed),
                pair[0].index))
            gate = gates.get(id(rule)) if gates else None
            if check.ok and gate:
                result.append(Unused(ach.id, ach.code, "not-eligible", nearest=(rule.id, gate)))
                continue
            if check.ok and ach.id in self.member_misses and self.member_misses[ach.id][0] == rule.id:
                result.append(Unused(ach.id, ach.code, "conditions",
                                     nearest=(rule.id, (self.member_misses[ach.id][1],))))
                continue
            if check.ok and ach.id in self.member_tallies and self.member_tallies[ach.id][0] == rule.id:
                result.append(Unused(ach.id, ach.code, "too-little", nearest=(rule.id, ()),
                                     tally=self.member_tallies[ach.id][1]))
                continue
            result.append(nearest_miss(ach.id, ach.code, tried, tallies))  # issue 9 items 10-11: nearest.py
        return result


_NOTHING = Allocation({}, True, 0, 0, 0)  # never changed: a stage without candidates only reads it
_TAKEN = frozenset(("passed", "failed", "enrolled"))
_STATUS_ORDER = ("passed", "failed", "enrolled", "withdrawn")


def _statuses(found: frozenset[str]) -> str | None:
    """A course's statuses in the history, in a fixed order: 'failed, passed' never depends on the input."""
    return ", ".join(s for s in _STATUS_ORDER if s in found) or None


def _exclusion(not_taken: CompiledNotTaken, courses: tuple[str, ...],
               history: dict[str, frozenset[str]]) -> Exclusion | None:
    """The first course of an award the learner's history rules out, and why; None when none is."""
    for course in courses:
        found = history.get(course)
        if found:
            status = next((s for s in _STATUS_ORDER if s in found and s in not_taken.statuses), None)
            if status is not None:
                return Exclusion(course, course, status)
        for higher in not_taken.higher.get(course, ()):
            if "passed" in history.get(higher, ()):
                return Exclusion(course, higher, "passed")
    return None


def _add_item(counts: dict[int, frozenset[Hashable]], index: int, item: Hashable) -> None:
    """One award may bring several achievements to one count."""
    counts[index] = counts.get(index, frozenset()) | {item}


def _order(cand: Candidate) -> tuple[Hashable, ...]:
    return cand.order


def _explain(candidates: list[Candidate], chosen: dict[int, int], credit_caps: list[CreditCap],
             count_caps: list[CountCap], explain_all: bool) -> list[CandidateTrace | None]:
    """What became of each candidate, from the chosen set alone: awarded, capped (by which
    limit), lost to a conflict (with which award, over what), stopped by a limit, or not
    needed by the best combination. Without ``explain_all`` only capped awards and
    candidates that were not chosen are explained — what a decision needs."""
    if not explain_all and len(chosen) == len(candidates) and all(
            not candidates[i].divisible or placed == candidates[i].amount for i, placed in chosen.items()):
        return [None] * len(candidates)  # every candidate awarded in full: nothing to explain
    used = [0] * len(credit_caps)
    present: list[set[Hashable]] = [set() for _ in count_caps]
    owners: dict[Hashable, tuple[Hashable, int]] = {}
    cut: dict[int, Limit] = {}
    for i in sorted(chosen):  # replay the chosen set in canonical order: why a category award was cut
        cand = candidates[i]
        placed = chosen[i]
        if cand.divisible and placed < cand.amount:
            room, cap = min((credit_caps[c].limit - used[c], c) for c, _ in cand.shares)
            cut[i] = Limit(credit_caps[cap].key, credit_caps[cap].limit, room, cand.amount)  # type: ignore[arg-type]
        for c, share in cand.shares:
            used[c] += placed if cand.divisible else share
        for c, items in cand.counts:
            present[c].update(items)
        for token, owner in cand.tokens:
            owners.setdefault(token, (owner, i))
    traces: list[CandidateTrace | None] = []
    for i, cand in enumerate(candidates):
        got = chosen.get(i)
        if got is not None and not explain_all and i not in cut:
            traces.append(None)
            continue
        payload: _Payload = cand.payload  # type: ignore[assignment]
        base: dict[str, Any] = {"rule": payload.rule.id, "achievements": tuple(sorted(f.id for f in payload.facts)),
                                "target": payload.target, "credits_centi": cand.amount, "tally": payload.tally}
        if got is not None:
            outcome = "capped" if i in cut else "awarded"
            traces.append(CandidateTrace(outcome=outcome, placed_centi=got, limit=cut.get(i), **base))
            continue
        conflict = None
        for token, owner in cand.tokens:
            held = owners.get(token)
            if held is not None and held[0] != owner:
                winner: _Payload = candidates[held[1]].payload  # type: ignore[assignment]
                kind = "course" if token[0] == _COURSE else "achievement"  # type: ignore[index]
                conflict = Conflict(winner.rule.id, winner.target, kind, token[1])  # type: ignore[index]
                break
        if conflict is not None:
            traces.append(CandidateTrace(outcome="conflict", conflict=conflict, **base))
            continue
        blocking = _blocking_limits(cand, used, present, credit_caps, count_caps)
        traces.append(CandidateTrace(outcome="limit", limit=blocking[0], also_limits=blocking[1:], **base)
                      if blocking else CandidateTrace(outcome="not-best", **base))
    return traces


def _blocking_limits(cand: Candidate, used: list[int], present: list[set[Hashable]], credit_caps: list[CreditCap],
                     count_caps: list[CountCap]) -> tuple[Limit, ...]:
    """Every limit that has no room for the candidate beside the chosen set — each one, not only the first: a
    lower qualification in a field may be stopped both by a count limit and by "one per field"."""
    found: list[Limit] = []
    for cap_index, items in cand.counts:
        have = present[cap_index]
        new = sum(1 for item in items if item not in have)
        cap = count_caps[cap_index]
        if len(have) + new > cap.limit:
            found.append(Limit(cap.key, cap.limit, max(0, cap.limit - len(have)), new))  # type: ignore[arg-type]
    for cap_index, share in cand.shares:
        credit_cap = credit_caps[cap_index]
        room = credit_cap.limit - used[cap_index]
        if (cand.divisible and room <= 0) or (not cand.divisible and share > room):
            found.append(Limit(credit_cap.key, credit_cap.limit, max(0, room), share))  # type: ignore[arg-type]
    return tuple(found)


def _same_number(key: str, value: float) -> bool:
    """Grade-map keys are text in YAML; a key '2.0' still means the number 2."""
    try:
        return float(key) == float(value)
    except ValueError:
        return False


@functools.lru_cache(maxsize=1 << 14)
def _natural(text: str) -> tuple[Any, ...]:
    """'A2' before 'A10', '#3' before '#30': the digit runs (odd places of the split) compared as numbers."""
    return tuple(int(part) if place % 2 else part for place, part in enumerate(re.split(r"(\d+)", text)))


def _rejection_order(rejection: Rejection) -> tuple[Any, ...]:
    return (_natural(rejection.achievement), rejection.code or "", rejection.reason)

