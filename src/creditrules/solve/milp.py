"""One competing component as a mixed-integer program, solved exactly with HiGHS.

The model encodes the placement semantics of :mod:`creditrules.solve.problem`, not
a relaxation of them (all data in exact integer hundredths):

* ``x_i`` (binary) chooses candidate i. A whole-course award charges its share of
  every credit cap: ``Σ charge ≤ limit`` per cap that can bind. Because charges are
  never negative, the final sum fitting means every prefix fitted, so this is the
  placement rule for whole-course awards.
* A category award placed in canonical order takes ``min(amount, room of each cap
  at that moment)``, where the room is the limit minus what the candidates *before
  it* were charged. A plain "Σ amounts ≤ limit" would let an early award take less
  to leave room for later ones, which placement never does. So its credit ``y_i``
  is pinned to that minimum: ``y_i ≤`` every term, and binaries ``z_{i,t}`` (one
  per term, ``Σ_t z_{i,t} = x_i``) choose the term it equals, with big-M exactly
  the term's largest value (the cap's limit, or the amount). ``y_i ≥ x_i``: a set
  in which it would get nothing is not allowed. Terms that can never bind (the cap
  has room for this award whatever is placed before it) are left out.
* An exclusive thing (token) is held by one owner: ``x_i ≤ w_{t,owner}``,
  ``Σ_owner w_{t,owner} ≤ 1``. Count caps count distinct items: ``u_e ≥ x_i`` for
  every candidate bringing item e, ``Σ_e u_e ≤ limit``.

Then the tie-break, exactly: with the optimal total V as a constraint, decide the
candidates in canonical order, keeping the incumbent's 1s. A 0 that placement
already rules out (the decided prefix leaves it no room, or even the bound of all
that follows cannot reach V) stays 0 without a solve; the others are decided a
block at a time by maximising ``Σ 2^(k-1-j)·x_j`` over the block (which orders
solutions exactly as the inclusion vector does), then fixed.

Every answer is checked by placing it with :func:`problem.place_all`; the integrality
of the solver's values is checked too. Should the solver ever disagree with placement,
the component is searched exhaustively instead (slow, but exact).
"""

from __future__ import annotations

import sys
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from ..errors import CreditRulesError
from .dfs import upper_bounds
from .problem import Candidate, CountCap, CreditCap, Placement, place_all

if TYPE_CHECKING:
    from types import ModuleType

    from highspy import _Highs  # type: ignore[attr-defined]  # the bare class: the wrapper prints a banner

LEX_BLOCK = 16  # candidates decided per tie-break solve; weights up to 2**15 stay exact in doubles
INTEGRALITY = 1e-6


class SolverDisagrees(Exception):
    """The solver's answer does not survive exact placement (never seen; a guard)."""


class SolverMissing(CreditRulesError):
    """highspy, a dependency of creditrules, is not installed (a broken installation)."""


def _highspy() -> ModuleType:
    """highspy, imported on first use so that ``import creditrules`` stays fast."""
    try:
        import highspy
    except ImportError:
        raise SolverMissing("awards that compete are decided by the HiGHS solver, and its Python package is "
                            "not installed; install it with: pip install 'highspy>=1.15,<2'") from None
    return highspy


class _Model:
    """Columns (all from 0) and rows, built in Python lists and passed to HiGHS at once."""

    def __init__(self) -> None:
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.rows: list[tuple[float, float, dict[int, float]]] = []

    def column(self, upper: float, integer: bool) -> int:
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.upper) - 1

    def row(self, terms: dict[int, float], lower: float = -float("inf"), upper: float = float("inf")) -> None:
        self.rows.append((lower, upper, terms))


_OPTIONS = (
    ("output_flag", False), ("log_to_console", False),
    ("mip_rel_gap", 0.0), ("mip_abs_gap", 0.0),  # proven optimal, not "within a gap"
    # One thread: components are small, and on a busy machine HiGHS's worker threads cost
    # 5-20x more than they give. The feasibility-jump heuristic costs ~10 ms per solve here
    # and finds nothing that presolve and the root LP do not (bench/solver.py measured both).
    ("threads", 1), ("mip_heuristic_run_feasibility_jump", False),
)


def _new_highs() -> _Highs:
    """A silent HiGHS instance. ``highspy.Highs`` (the convenience wrapper) prints a banner
    to the process's stdout when created, before any option can be set; the library never
    prints, so the bare binding is used."""
    highs = _highspy()._Highs()
    for option, value in _OPTIONS:
        highs.setOptionValue(option, value)
    return highs


def solve(cands: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap],
          total_cap: int | None) -> list[tuple[int, int]]:
    """The best set of one component as (local index, credits), ascending; exact and
    tie-broken as documented. Raises :class:`SolverDisagrees` if the solver's answer
    does not place (a guard the caller answers with an exhaustive search)."""
    highspy = _highspy()
    model = _Model()
    x = [model.column(1.0 if cand.amount > 0 else 0.0, True) for cand in cands]  # nothing to place: never
    placed_amount = _credit_terms(model, cands, credit_caps, x)
    _tokens(model, cands, x)
    _counts(model, cands, count_caps, x)
    objective = {col: coef for i in range(len(cands)) for col, coef in placed_amount[i].items()}

    highs = _new_highs()
    lp = highspy.HighsLp()
    lp.num_col_ = len(model.upper)
    lp.num_row_ = len(model.rows)
    lp.col_cost_ = [objective.get(col, 0.0) for col in range(lp.num_col_)]
    lp.col_lower_ = [0.0] * lp.num_col_
    lp.col_upper_ = model.upper
    lp.row_lower_ = [r[0] for r in model.rows]
    lp.row_upper_ = [r[1] for r in model.rows]
    lp.sense_ = highspy.ObjSense.kMaximize
    starts, indices, values = [0], [], []
    for _, _, terms in model.rows:
        for col in sorted(terms):
            indices.append(col)
            values.append(terms[col])
        starts.append(len(indices))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = indices
    lp.a_matrix_.value_ = values
    lp.a_matrix_.num_col_ = lp.num_col_
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                       for i in model.integer]
    highs.passModel(lp)

    chosen = _run(highs, x)
    best = place_all(cands, chosen, credit_caps, count_caps)
    if best is None:
        raise SolverDisagrees("the optimum does not place")
    value = sum(amount for _, amount in best)
    if abs(highs.getInfo().objective_function_value - value) > 0.5:
        raise SolverDisagrees("the optimum's value differs from its placement")
    return _tie_break(highs, cands, credit_caps, count_caps, total_cap, x, objective, chosen, value)


def _credit_terms(model: _Model, cands: list[Candidate], credit_caps: list[CreditCap],
                  x: list[int]) -> list[dict[int, float]]:
    """Credit caps and the placed credit of each candidate, as {column: coefficient}."""

    def most(cand: Candidate, share: int) -> int:  # the most a cap can be charged by the candidate
        return cand.amount if cand.divisible else share

    totals: dict[int, int] = {}
    for cand in cands:
        for cap, share in cand.shares:
            totals[cap] = totals.get(cap, 0) + most(cand, share)
    binding = {cap for cap, total in totals.items() if total > credit_caps[cap].limit}
    most_before = dict.fromkeys(binding, 0)  # the most each cap can be charged before the candidate
    charged: dict[int, dict[int, float]] = {cap: {} for cap in binding}  # cap → charges so far
    placed: list[dict[int, float]] = []
    for i, cand in enumerate(cands):
        terms = [cap for cap, _ in cand.shares
                 if cap in binding and credit_caps[cap].limit - most_before[cap] < cand.amount]
        for cap, share in cand.shares:
            if cap in binding:
                most_before[cap] += most(cand, share)
        if not cand.divisible or not terms:
            placed.append({x[i]: float(cand.amount)})
            for cap, share in cand.shares:
                if cap in binding:
                    charged[cap][x[i]] = charged[cap].get(x[i], 0.0) + most(cand, share)
            continue
        y = model.column(float(cand.amount), True)
        placed.append({y: 1.0})
        model.row({y: 1.0, x[i]: -float(cand.amount)}, upper=0.0)  # y ≤ amount·x
        model.row({y: 1.0, x[i]: -1.0}, lower=0.0)  # y ≥ x: a placed award gets something
        z_amount = model.column(1.0, True)
        model.row({y: 1.0, z_amount: -float(cand.amount)}, lower=0.0)  # y ≥ amount if z
        choice = {z_amount: 1.0, x[i]: -1.0}
        for cap in terms:
            limit = float(credit_caps[cap].limit)
            before = charged[cap]
            model.row({**before, y: 1.0}, upper=limit)  # y ≤ room at placement
            z = model.column(1.0, True)
            model.row({**before, y: 1.0, z: -limit}, lower=0.0)  # y ≥ room if z
            choice[z] = 1.0
        model.row(choice, lower=0.0, upper=0.0)  # exactly one term binds when placed
        for cap, _ in cand.shares:
            if cap in binding:
                charged[cap][y] = charged[cap].get(y, 0.0) + 1.0
    for cap in sorted(binding):
        model.row(charged[cap], upper=float(credit_caps[cap].limit))
    return placed


def _tokens(model: _Model, cands: list[Candidate], x: list[int]) -> None:
    """One owner per exclusive thing."""
    holders: dict[Hashable, dict[Hashable, list[int]]] = {}
    for i, cand in enumerate(cands):
        for token, owner in cand.tokens:
            members = holders.setdefault(token, {}).setdefault(owner, [])
            if not members or members[-1] != i:
                members.append(i)
    for by_owner in holders.values():
        if len(by_owner) < 2:
            continue
        one_of: dict[int, float] = {}
        for members in by_owner.values():
            if len(members) == 1:
                one_of[x[members[0]]] = 1.0
                continue
            w = model.column(1.0, False)
            for i in members:
                model.row({x[i]: 1.0, w: -1.0}, upper=0.0)
            one_of[w] = 1.0
        model.row(one_of, upper=1.0)


def _counts(model: _Model, cands: list[Candidate], count_caps: list[CountCap], x: list[int]) -> None:
    """Distinct items per count cap."""
    bringers: dict[int, dict[Hashable, list[int]]] = {}
    for i, cand in enumerate(cands):
        for cap, items in cand.counts:
            for item in items:
                bringers.setdefault(cap, {}).setdefault(item, []).append(i)
    for cap in sorted(bringers):
        by_item = bringers[cap]
        if len(by_item) <= count_caps[cap].limit:
            continue
        terms: dict[int, float] = {}
        for members in by_item.values():
            if len(members) == 1:
                terms[x[members[0]]] = terms.get(x[members[0]], 0.0) + 1.0
                continue
            u = model.column(1.0, False)
            for i in members:
                model.row({x[i]: 1.0, u: -1.0}, upper=0.0)
            terms[u] = 1.0
        model.row(terms, upper=float(count_caps[cap].limit))


def _run(highs: _Highs, x: list[int]) -> list[int]:
    """Solve to proven optimality; the chosen candidates (local indices, ascending)."""
    highspy = _highspy()
    if highs.run() == highspy.HighsStatus.kError:
        # HiGHS's thread pool is process-wide: if another user in this process started it with
        # more threads, a run asking for one fails at once; use the pool as it is.
        highs.setOptionValue("threads", 0)
        highs.run()
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise SolverDisagrees(f"HiGHS ended with {highs.modelStatusToString(status)}")
    values = highs.getSolution().col_value
    chosen = []
    for i, col in enumerate(x):
        value = values[col]
        if abs(value - round(value)) > INTEGRALITY:
            raise SolverDisagrees(f"candidate {i} has the fractional value {value}")
        if round(value) == 1:
            chosen.append(i)
    return chosen


def _tie_break(highs: _Highs, cands: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap],
               total_cap: int | None, x: list[int], objective: dict[int, float], chosen: list[int],
               value: int) -> list[tuple[int, int]]:
    """Among sets worth ``value``, the one with the lexicographically greatest inclusion vector."""
    bound_after = upper_bounds(cands)
    # from now on the total is a constraint and the objective is the tie-break's
    highs.addRow(float(value), float("inf"), len(objective), list(objective), list(objective.values()))
    highs.changeColsCost(len(objective), list(objective), [0.0] * len(objective))
    incumbent = set(chosen)
    placement = Placement(credit_caps, count_caps)
    prefix_value = 0
    decided: list[int] = []  # chosen so far, in order
    settled = 0  # candidates before this were decided by a block's solve: the incumbent's value stands
    for i, cand in enumerate(cands):
        fit = placement.fits(cand)
        if i not in incumbent and i >= settled:
            reach = prefix_value + fit + min(bound_after[i + 1], _headroom(placement, total_cap, fit, cand))
            if fit and reach >= value:
                block = [x[j] for j in range(i, min(i + LEX_BLOCK, len(cands)))]
                highs.changeColsCost(len(block), block, [float(2 ** (len(block) - 1 - k)) for k in range(len(block))])
                incumbent = set(_run(highs, x))
                highs.changeColsCost(len(block), block, [0.0] * len(block))
                settled = i + len(block)
            # else placement rules it out whatever follows: it stays 0 without a solve
        if i not in incumbent:
            _fix(highs, x, i, 0)
            continue
        # the incumbent holds i and agrees with every decision so far: keep it
        if not fit:
            raise SolverDisagrees(f"candidate {i} does not place after the decided prefix")
        placement.apply(cand, fit, +1)
        prefix_value += fit
        decided.append(i)
        _fix(highs, x, i, 1)
    best = place_all(cands, decided, credit_caps, count_caps)
    if best is None or sum(amount for _, amount in best) != value:
        raise SolverDisagrees("the tie-break's set is not worth the optimum")
    return best


def _headroom(placement: Placement, total_cap: int | None, fit: int, cand: Candidate) -> int:
    """Room left under the total cap after placing ``cand`` at ``fit`` (no cap: unbounded)."""
    if total_cap is None:
        return sys.maxsize
    used = placement.state.credit_used[total_cap]
    charge = next((fit if cand.divisible else share for cap, share in cand.shares if cap == total_cap), 0)
    return placement.caps[total_cap].limit - used - charge


def _fix(highs: Any, x: list[int], i: int, value: int) -> None:
    highs.changeColBounds(x[i], float(value), float(value))
