"""One learner, one standard, one date → a :class:`Decision`.

The evaluator is pure: it reads the compiled standard and the learner and
returns data; it never prints, writes or caches across calls, so one compiled
standard can serve many threads. Stages:

1. each certification standard the conversion standard ``uses`` turns raw
   records into certified outcomes (the records it uses are consumed, so
   nothing counts twice);
2. every rule is checked against the achievements its index points to, with
   every condition recorded (no short-circuit: the trace says all that failed);
3. :func:`creditrules.allocate.allocate` picks the best set of awards;
4. the decision lists the awards, what the program still needs, and why each
   unused achievement earned nothing.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Hashable, Iterable, Literal, Mapping, Protocol

from ._version import __version__
from .allocate import Candidate, CountCap, CreditCap, allocate, replay
from .compiled import CompiledRule, CompiledRuleset, CompiledStandard, from_centi
from .decision import (
    Application, Award, CandidateTrace, CategoryStatus, ConditionResult, Decision, Limit, RuleTrace,
    SearchStats, SlotCheck, StandardStamp, Tally, Unused,
)
from .errors import CreditRulesError
from .learner import Achievement, Fact, Learner, Rejection, facts_for, learner_from_dict

MAX_COMBINATIONS = 256  # per multi-achievement rule; more would only repeat the same courses


def _parse_day(value: date | str | None) -> date:
    if value is None:
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CreditRulesError(f"as-of date '{value}' is not a date; write YYYY-MM-DD") from None


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
    day = _parse_day(as_of)
    if not isinstance(learner, Learner):
        learner = learner_from_dict(learner)
    ruleset = standard.ruleset_for(day) if isinstance(standard, CompiledStandard) else standard
    if ruleset.kind == "base":
        raise CreditRulesError(f"'{ruleset.id}' is a base standard; evaluate a standard that extends it")
    return _Evaluation(ruleset, learner, day, trace, matcher).run()


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
        for stage in stages:
            is_last = stage is stages[-1]
            facts, unknown, bad = facts_for(stage, pool, self.as_of)
            for item in bad:
                if item.achievement not in invalid:
                    invalid.add(item.achievement)
                    rejected.append(item)
            known_somewhere |= {f.id for f in facts}
            if is_last:
                unknown_last = unknown
            result = self._stage(stage, facts, "conversion" if is_last and stage.kind == "conversion" else stage.id)
            traces.extend(result.traces)
            tallies.update(result.tallies)
            for key, value in result.checks.items():
                checks.setdefault(key, []).extend(value)
            for key, value in result.candidate_traces.items():
                candidate_traces.setdefault(key, []).extend(value)
            stats = [stats[0] + result.stats[0], stats[1] + result.stats[1], stats[2] + result.stats[2],
                     stats[3] + result.stats[3], stats[4] and result.stats[4]]
            if is_last:
                awards = result.awards
                used_last = result.used
            else:
                outcomes.extend(result.awards)
                for award in result.awards:
                    for ach in award.achievements:
                        consumed[ach] = f"{stage.id}:{award.rule}"
                new = [self._outcome_achievement(stage, award, result) for award in result.awards]
                certified.extend(new)
                pool = sorted([a for a in pool if a.id not in consumed] + new, key=lambda a: a.id)
        application = self._application(awards)
        by_category: dict[str, int] = {}
        for award in awards:
            if award.courses:
                for course in award.courses:
                    by_category[course.category] = by_category.get(course.category, 0) + course.credits
            elif award.category is not None:
                by_category[award.category] = by_category.get(award.category, 0) + award.credits
        total = sum(a.credits for a in awards)
        unused = self._unused([*self.learner.achievements, *certified], used_last, consumed, invalid,
                              unknown_last, known_somewhere, checks, candidate_traces, tallies)
        stamp = StandardStamp(self.ruleset.id, self.ruleset.version, self.ruleset.content_hash,
                              self.ruleset.effective_from, self.ruleset.effective_until,
                              tuple((r.id, r.version, r.content_hash) for r in self.ruleset.chain))
        return Decision(
            learner=self.learner.id, standard=stamp, as_of=self.as_of, engine_version=__version__,
            awards=tuple(awards), outcomes=tuple(outcomes), total=total,
            by_category=tuple(sorted(by_category.items())), application=application, unused=tuple(unused),
            rejected=tuple(sorted(rejected, key=_rejection_order)), trace=tuple(traces),
            search=SearchStats(stats[0], stats[1], stats[2], stats[3], bool(stats[4])),
            total_cap=self.ruleset.limits.total, trace_mode=self.trace)

    # ------------------------------------------------------------ certified outcomes

    def _outcome_achievement(self, stage: CompiledRuleset, award: Award, result: _StageResult) -> Achievement:
        rule = stage.rule(award.rule)
        assert rule is not None and award.outcome is not None
        sources = [a for a in self.learner.achievements if a.id in award.achievements]
        obtained = max((a.obtained for a in sources), default=self.as_of)
        attributes: dict[str, Any] = dict(rule.outcome_attributes)
        attributes["credits"] = from_centi(award.credits)
        return Achievement(f"{stage.id}:{award.rule}:{'+'.join(award.achievements)}", award.outcome, obtained,
                           True, stage.id, None, attributes)

    # ------------------------------------------------------------ one stage

    def _stage(self, ruleset: CompiledRuleset, facts: list[Fact], stage: str) -> _StageResult:
        result = _StageResult()
        self.stage_facts.append((ruleset, {f.id: f for f in facts}))
        passing = self.matcher.match(ruleset, facts, self.as_of) if self.matcher is not None else None
        by_rule: dict[int, list[Fact]] = {}
        for fact in facts:
            for index in ruleset.by_code.get(fact.code, ()):
                by_rule.setdefault(index, []).append(fact)
        candidates: list[Candidate] = []
        rule_checks: dict[int, list[SlotCheck]] = {}
        rule_notes: dict[int, str | Tally] = {}
        for rule in ruleset.rules:
            rule_facts = by_rule.get(rule.index, [])
            if not rule_facts:
                rule_checks[rule.index] = []
                continue  # nothing to check: the rule's trace says no achievement qualifies
            checks, bindings, note = self._match(rule, rule_facts, passing)
            rule_checks[rule.index] = checks
            if note:
                rule_notes[rule.index] = note
            for check in checks:
                result.checks.setdefault(check.achievement, []).append((rule, check))
            for binding, amount, tally in bindings:
                candidates.extend(self._candidates(ruleset, rule, binding, amount, tally))
        candidates.sort(key=lambda c: c.order)
        for i, cand in enumerate(candidates):
            cand.index = i
        credit_caps, count_caps, total_index = self._caps(ruleset, candidates)
        allocation = allocate(candidates, credit_caps, count_caps, total_index)
        cand_traces = self._explain(candidates, allocation.chosen, credit_caps, count_caps, ruleset)
        for cand, trace in zip(candidates, cand_traces):
            payload: _Payload = cand.payload  # type: ignore[assignment]
            for fact in payload.facts:
                result.candidate_traces.setdefault(fact.id, []).append(trace)
        per_rule: dict[int, list[CandidateTrace]] = {}
        for cand, trace in zip(candidates, cand_traces):
            per_rule.setdefault(cand.payload.rule.index, []).append(trace)  # type: ignore[attr-defined]
        for rule in ruleset.rules:
            note = rule_notes.get(rule.index)
            if isinstance(note, Tally):
                result.tallies[rule.id] = note
            if self.trace == "none" or (self.trace == "compact" and rule.index not in per_rule and note is None):
                continue
            origin = f"{rule.origin.path}:{rule.origin.line}:{rule.origin.column}"
            tally = note if isinstance(note, Tally) else next(
                (c.tally for c in per_rule.get(rule.index, ()) if c.tally is not None), None)
            result.traces.append(RuleTrace(rule.id, rule.name_zh, rule.name_en, rule.origin.standard_id,
                                           rule.origin.version, origin, stage, tuple(rule_checks[rule.index]),
                                           tuple(per_rule.get(rule.index, ())),
                                           note if isinstance(note, str) else None, tally))
        for i in sorted(allocation.chosen, key=lambda i: (candidates[i].payload.courses[:1],  # type: ignore
                                                            candidates[i].payload.rule.index, i)):  # type: ignore
            cand = candidates[i]
            award = self._award(ruleset, cand, allocation.chosen[i], cand_traces[i])
            result.awards.append(award)
            for ach in award.achievements:
                result.used.setdefault(ach, []).append(award.rule)
        result.awards.sort(key=lambda a: (a.target != "course", a.courses[0].code if a.courses else ""))
        result.stats = (len(candidates), allocation.components, allocation.searched, allocation.nodes,
                        allocation.optimal)
        return result

    def _check(self, rule: CompiledRule, slot_index: int, fact: Fact) -> SlotCheck:
        slot = rule.slots[slot_index]
        results = []
        for condition in slot.conditions:
            value = fact.values.get(condition.attribute)
            ok = condition.check(value, self.as_of)
            actual = fact.shown.get(condition.attribute)
            results.append(ConditionResult(condition.attribute, condition.op, condition.required, actual, ok))
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

    def _match(self, rule: CompiledRule, facts: list[Fact], passing: set[tuple[int, int, str]] | None = None
               ) -> tuple[list[SlotCheck], list[tuple[tuple[Fact, ...], int | None, Tally | None]], str | Tally | None]:
        """Every check made, the bindings that pass (facts, computed credits or None, how an
        aggregate added up), and a note on why nothing passed (a shortfall, or a cut-off)."""
        checks: list[SlotCheck] = []
        if rule.shape == "one":
            bound = [((fact,), None, None) for fact in facts if self._meets(rule, 0, fact, passing, checks)]
            return checks, bound, None  # type: ignore[return-value]
        if rule.shape == "all":
            per_slot: list[list[Fact]] = []
            for slot_index, slot in enumerate(rule.slots):
                ok_facts = []
                for fact in facts:
                    if (slot.codes is not None and fact.code not in slot.codes) or fact.kind not in slot.kinds:
                        continue
                    if self._meets(rule, slot_index, fact, passing, checks):
                        ok_facts.append(fact)
                per_slot.append(ok_facts)
            bindings = []
            note = None
            seen: set[frozenset[str]] = set()
            for combo in itertools.product(*per_slot):
                ids = frozenset(f.id for f in combo)
                if len(ids) < len(combo) or ids in seen:
                    continue  # an achievement twice, or the same achievements in another order
                seen.add(ids)
                if len(bindings) == MAX_COMBINATIONS:
                    note = f"only the first {MAX_COMBINATIONS} combinations of achievements were considered"
                    break
                bindings.append((tuple(combo), None, None))
            return checks, bindings, note
        # aggregate
        agg = rule.aggregate
        assert agg is not None
        members = [fact for fact in facts if self._meets(rule, 0, fact, passing, checks)]
        if not members:
            return checks, [], None
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
        return checks, [(tuple(members), credits, tally)], None

    def _candidates(self, ruleset: CompiledRuleset, rule: CompiledRule, facts: tuple[Fact, ...],
                    computed: int | None, tally: Tally | None) -> Iterable[Candidate]:
        ids = tuple(sorted(f.id for f in facts))
        if rule.target == "courses" and rule.mode == "each" and computed is None:
            units = [(course,) for course in rule.courses]
        elif rule.target == "courses":
            units = [rule.courses]
        else:
            units = [()]
        # Exclusive things. An achievement is one rule-binding's alone, unless the rule is
        # reusable: then it is shared with other reusable rules, but still used by one
        # binding of this rule only (awards of one `mode: each` binding share it).
        owner: Hashable = "reusable" if rule.reusable else (rule.index, ids)
        for courses in units:
            program = ruleset.program
            if courses:
                assert program is not None
                amount = sum(program.courses[c].credits for c in courses)
                divisible = False
            else:
                amount = computed if computed is not None else rule.credits
                divisible = True
            order = (0 if not divisible else 1, -rule.priority, rule.index, ids, courses)
            tokens = tuple([(f"course:{c}", ("course", rule.index, ids, courses)) for c in courses]
                           + [(f"achievement:{i}", owner) for i in ids]
                           + ([(f"achievement:{i}@{rule.id}", ids) for i in ids] if rule.reusable else []))
            yield Candidate(order, amount, divisible, tokens, (), (),
                            _Payload(rule, facts, courses, tally))

    def _caps(self, ruleset: CompiledRuleset, candidates: list[Candidate]
              ) -> tuple[list[CreditCap], list[CountCap], int | None]:
        limits = ruleset.limits
        credit_caps: list[CreditCap] = []
        count_caps: list[CountCap] = []
        credit_index: dict[str, int] = {}
        count_index: dict[str, int] = {}

        def credit(key: str, limit: int) -> int:
            if key not in credit_index:
                credit_index[key] = len(credit_caps)
                credit_caps.append(CreditCap(key, limit))
            return credit_index[key]

        def count(key: str, limit: int) -> int:
            if key not in count_index:
                count_index[key] = len(count_caps)
                count_caps.append(CountCap(key, limit))
            return count_index[key]

        total_index = credit("total", limits.total) if limits.total is not None else None
        program = ruleset.program
        for cand in candidates:
            payload: _Payload = cand.payload  # type: ignore[assignment]
            rule = payload.rule
            shares: list[tuple[int, int]] = []
            if total_index is not None:
                shares.append((total_index, cand.amount))
            if payload.courses and program is not None:
                per_category: dict[str, int] = {}
                for code in payload.courses:
                    course = program.courses[code]
                    per_category[course.category] = per_category.get(course.category, 0) + course.credits
                for category, amount in sorted(per_category.items()):
                    if category in limits.categories:
                        shares.append((credit(f"category:{category}", limits.categories[category]), amount))
            elif rule.category is not None and rule.category in limits.categories:
                shares.append((credit(f"category:{rule.category}", limits.categories[rule.category]), cand.amount))
            if rule.max_credits is not None:
                shares.append((credit(f"rule:{rule.id}", rule.max_credits), cand.amount))
            counts: list[tuple[int, frozenset[Hashable]]] = []
            if rule.max_uses is not None:
                counts.append((count(f"rule-uses:{rule.id}", rule.max_uses), frozenset([cand.index])))
            if rule.shape != "aggregate":
                if limits.per_achievement is not None:
                    for fact in payload.facts:
                        shares.append((credit(f"achievement:{fact.id}", limits.per_achievement), cand.amount))
                for kind, limit in limits.kind_counts.items():
                    items = frozenset(f.id for f in payload.facts if f.kind == kind)
                    if items:
                        counts.append((count(f"kind-count:{kind}", limit), items))
                for group in limits.groups:
                    for fact in payload.facts:
                        value = fact.values.get(group.key)  # normalised: '１' and '1' are one event
                        if fact.kind in group.kinds and value is not None:
                            counts.append((count(f"group:{group.id}:{value}", group.max), frozenset([fact.id])))
            cand.shares = tuple(shares)
            merged: dict[int, frozenset[Hashable]] = {}
            for index, items in counts:  # one award may bring several achievements to one count
                merged[index] = merged.get(index, frozenset()) | items
            cand.counts = tuple(sorted(merged.items()))
        return credit_caps, count_caps, total_index

    # ------------------------------------------------------------ explaining

    def _explain(self, candidates: list[Candidate], chosen: dict[int, int], credit_caps: list[CreditCap],
                 count_caps: list[CountCap], ruleset: CompiledRuleset) -> list[CandidateTrace]:
        traces: list[CandidateTrace] = []
        # why a chosen category award was cut: replay the chosen set in order
        cut: dict[int, Limit] = {}
        state = replay(candidates, {}, credit_caps, count_caps)
        for i in sorted(chosen):
            cand = candidates[i]
            if cand.divisible and chosen[i] < cand.amount:
                rooms = [(credit_caps[c].limit - state.state.credit_used[c], c) for c, _ in cand.shares]
                room, cap = min(rooms)
                cut[i] = Limit(credit_caps[cap].key, credit_caps[cap].limit, room, cand.amount)
            state.apply(cand, chosen[i], +1)
        holders: dict[str, int] = {}
        for i in sorted(chosen):
            for token, _ in candidates[i].tokens:
                holders.setdefault(token, i)
        final = state.state
        for i, cand in enumerate(candidates):
            payload: _Payload = cand.payload  # type: ignore[assignment]
            target = _target(payload)
            base = dict(rule=payload.rule.id, achievements=tuple(sorted(f.id for f in payload.facts)),
                        target=target, credits=cand.amount, tally=payload.tally)
            if i in chosen:
                outcome = "capped" if i in cut else "awarded"
                traces.append(CandidateTrace(outcome=outcome, placed=chosen[i], limit=cut.get(i), **base))
                continue
            conflict = None
            for token, owner in cand.tokens:
                holder = holders.get(token)
                if holder is not None and final.owners.get(token, (owner,))[0] != owner:
                    conflict = (holder, token)
                    break
            if conflict is not None:
                holder, token = conflict
                other: _Payload = candidates[holder].payload  # type: ignore[assignment]
                shared = token.replace("achievement:", "achievement ").replace("course:", "course ")
                traces.append(CandidateTrace(outcome="conflict", conflict_with=f"{other.rule.id} → {_target(other)}",
                                             shared=shared, **base))
                continue
            limit = self._blocking_limit(cand, final, credit_caps, count_caps)
            if limit is not None:
                traces.append(CandidateTrace(outcome="limit", limit=limit, **base))
            else:
                traces.append(CandidateTrace(outcome="not-best", **base))
        return traces

    @staticmethod
    def _blocking_limit(cand: Candidate, final: Any, credit_caps: list[CreditCap],
                        count_caps: list[CountCap]) -> Limit | None:
        for cap_index, items in cand.counts:
            present = final.count_items[cap_index]
            new = sum(1 for item in items if item not in present)
            cap = count_caps[cap_index]
            if len(present) + new > cap.limit:
                return Limit(cap.key, cap.limit, max(0, cap.limit - len(present)), new)
        for cap_index, share in cand.shares:
            cap = credit_caps[cap_index]
            room = cap.limit - final.credit_used[cap_index]
            if (cand.divisible and room <= 0) or (not cand.divisible and share > room):
                return Limit(cap.key, cap.limit, max(0, room), share)
        return None

    def _award(self, ruleset: CompiledRuleset, cand: Candidate, placed: int, trace: CandidateTrace) -> Award:
        payload: _Payload = cand.payload  # type: ignore[assignment]
        rule = payload.rule
        courses = ()
        if payload.courses and ruleset.program is not None:
            courses = tuple(ruleset.program.courses[code] for code in payload.courses)
        target = "course" if courses else ("outcome" if rule.outcome else "category")
        return Award(rule.id, rule.name_zh, rule.name_en, rule.origin.standard_id, rule.origin.version, target,
                     courses, rule.category, rule.outcome, placed, cand.amount, self._grade(rule, payload.facts),
                     tuple(sorted(f.id for f in payload.facts)), trace.limit if trace.outcome == "capped" else None,
                     payload.tally)

    @staticmethod
    def _grade(rule: CompiledRule, facts: tuple[Fact, ...]) -> str | None:
        from .normalise import normalise  # here, not at the top: the one change issue 12 makes in this module

        if rule.grade_from is None:
            return rule.grade
        for fact in facts:
            value = fact.shown.get(rule.grade_from)
            if value is None:
                continue
            for key, grade in rule.grade_map:
                # the one normalisation (normalise.py): '一级（高级技师） ' matched the level, so it maps too
                if normalise(key) == normalise(str(value)) or (
                        isinstance(value, (int, float)) and _same_number(key, value)):
                    return grade
        return rule.grade_default

    # ------------------------------------------------------------ application and unused

    def _application(self, awards: list[Award]) -> Application | None:
        program = self.ruleset.program
        if program is None or self.ruleset.kind != "conversion":
            return None
        credited: dict[str, int] = {}
        done: set[str] = set()
        for award in awards:
            for course in award.courses:
                credited[course.category] = credited.get(course.category, 0) + course.credits
                done.add(course.code)
            if award.category is not None:
                credited[award.category] = credited.get(award.category, 0) + award.credits
        categories = tuple(CategoryStatus(c.id, c.name_zh, c.name_en, c.required, credited.get(c.id, 0))
                           for c in program.categories.values())
        remaining = tuple(code for code in program.courses if code not in done)
        return Application(program.code, program.name_zh, program.name_en, program.total_credits,
                           sum(a.credits for a in awards), categories, remaining)

    def _checks_for(self, achievement: str) -> list[tuple[CompiledRule, SlotCheck]]:
        """Every condition of every rule slot an achievement could fill, checked in full: the
        material of a nearest miss, computed only for achievements that earned nothing."""
        found: list[tuple[CompiledRule, SlotCheck]] = []
        for ruleset, facts in self.stage_facts:
            fact = facts.get(achievement)
            if fact is None:
                continue
            for index in ruleset.by_code.get(fact.code, ()):
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
        for ach in sorted(achievements, key=lambda a: _natural(a.id)):
            if ach.id in used or ach.id in consumed or ach.id in rejected:
                continue
            if ach.id in unknown_by_id and ach.id not in known:
                result.append(Unused(ach.id, ach.code, "unknown-code", unknown_by_id[ach.id].reason))
                continue
            traces = [t for t in candidate_traces.get(ach.id, []) if t.outcome not in ("awarded", "capped")]
            if traces:
                first = traces[0]
                if first.outcome == "conflict":
                    detail = f"rule {first.rule} lost to {first.conflict_with}, which uses {first.shared}"
                elif first.outcome == "limit" and first.limit is not None:
                    detail = f"rule {first.rule} is stopped by limit {first.limit.key}"
                else:
                    detail = f"rule {first.rule} would give credit, but the best combination does without it"
                result.append(Unused(ach.id, ach.code, first.outcome, detail, candidate=first))
                continue
            tried = checks.get(ach.id, []) if self.detailed else self._checks_for(ach.id)
            if not tried:
                result.append(Unused(ach.id, ach.code, "no-rule",
                                     f"no rule of standard '{self.ruleset.id}' takes code '{ach.code}'"))
                continue
            rule, check = min(tried, key=lambda pair: (len(pair[1].failed), pair[0].index))
            if check.ok and rule.id in tallies:
                tally = tallies[rule.id]
                result.append(Unused(ach.id, ach.code, "too-little",
                                     f"rule {rule.id} adds up {tally.amount} {tally.unit}, which is not enough",
                                     (rule.id, ()), tally))
                continue
            result.append(Unused(ach.id, ach.code, "conditions",
                                 f"no rule's conditions are met; closest is rule {rule.id}",
                                 (rule.id, check.failed)))
        return result


@dataclass(frozen=True, slots=True)
class _Payload:
    rule: CompiledRule
    facts: tuple[Fact, ...]
    courses: tuple[str, ...]
    tally: Tally | None


def _target(payload: _Payload) -> str:
    rule = payload.rule
    if payload.courses:
        return "+".join(payload.courses)
    if rule.outcome:
        return f"outcome {rule.outcome}"
    return f"category {rule.category}"


def _same_number(key: str, value: float) -> bool:
    """Grade-map keys are text in YAML; a key '2.0' still means the number 2."""
    try:
        return float(key) == float(value)
    except ValueError:
        return False


def _natural(text: str) -> tuple[Any, ...]:
    """'A2' before 'A10', '#3' before '#30'."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _rejection_order(rejection: Rejection) -> tuple[Any, ...]:
    return (_natural(rejection.achievement), rejection.code or "", rejection.reason)


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")
