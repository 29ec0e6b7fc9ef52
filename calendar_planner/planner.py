"""The planner (R10–R12): a calendar that keeps every hard rule and spends as little as it
can on the soft ones, found by OR-Tools' CP-SAT solver.

Hard rules are constraints; soft rules are terms of the objective, in the order a
coordinator ranks them (a reciprocal lead is never allowed): an LA busy twice in a quarter
first, found as the fewest any calendar can have before anything else is weighed; then,
weighted, an uneven spread and SAV spacing months away from the interval. The solver runs on
one worker with a deterministic time budget, so the same input and seed give the same
calendar on any machine, however busy.
"""

import dataclasses
import datetime
import itertools
import math

from ortools.sat.python import cp_model

from calendar_planner.periods import SAV, add_months, quarter_start, quarters_of, slot_end
from calendar_planner.rules import Frame, Row

# Weights of the soft rules, per occurrence (per month for spacing).
QUARTER_WEIGHT = 100
LOAD_WEIGHT = 30
SPREAD_WEIGHT = 30
SPACING_WEIGHT = 5
# The solver's budget in deterministic seconds: a measure of work, not of the clock.
DEFAULT_EFFORT = 10.0


class PlanningError(Exception):
    """No calendar keeps every hard rule, or none was found within the budget."""


@dataclasses.dataclass(frozen=True)
class Plan:
    rows: list[Row]
    optimal: bool
    penalty: int
    # Activities beyond one an LA a quarter, and whether no calendar has fewer.
    overload: int = 0
    least_overload: bool = True


def rounds_needed(kind_round_months: int, months: int) -> int:
    return max(1, math.ceil(months / kind_round_months))


def plan(frame: Frame, *, seed: int = 0, effort: float = DEFAULT_EFFORT) -> Plan:
    """Plan every round of ``frame``: each LA active throughout a round hosts once, leads
    once and is QA once in it. Raises PlanningError, naming the likely cause, when the
    rules cannot all be kept."""
    hints = _rotation(frame)
    if frame.kind == SAV and frame.months > frame.interval:
        # A later round that repeats the first one interval on keeps every visit exactly
        # an interval apart: plan the first round alone and offer its repeats as the
        # solver's starting point.
        first = plan(
            dataclasses.replace(frame, months=frame.interval), seed=seed, effort=effort / 2
        )
        hints = []
        for n in range(frame.months // frame.interval):
            hints += [
                dataclasses.replace(row, start=add_months(row.start, n * frame.interval))
                for row in first.rows
            ]
    return _solve(frame, seed=seed, effort=effort, hints=hints)


def _rotation(frame: Frame) -> list[Row]:
    """A calendar that keeps every hard rule when nothing is blacked out: in each round the
    LAs host in turn, spread evenly over its slots, each led by the next LA and checked by
    the one after that. The solver starts from it, so that even a small budget finds a
    calendar; blackouts and active dates may break it, and the solver then repairs it."""
    rows = []
    slots = frame.slots()
    for first, after, _ in frame.rounds():
        last_day = after - datetime.timedelta(days=1)
        names = [a.name for a in frame.authorities if a.active_throughout(first, last_day)]
        in_round = [s for s in slots if first <= s < after]
        for i, name in enumerate(names):
            rows.append(
                Row(
                    start=in_round[i * len(in_round) // len(names)],
                    host=name,
                    lead=names[(i + 1) % len(names)],
                    qa=names[(i + 2) % len(names)],
                )
            )
    return rows


def _solve(frame: Frame, *, seed: int, effort: float, hints: list[Row]) -> Plan:
    rounds = frame.rounds()
    if not all(complete for _, _, complete in rounds):
        raise PlanningError(
            f"The programme's {frame.months} months are not a whole number of "
            f"{frame.round_months}-month rounds."
        )
    model = cp_model.CpModel()
    slots = frame.slots()
    objective = []
    host_var, lead_var, qa_var = {}, {}, {}
    quarter_terms: dict[tuple[str, object], list] = {}
    overloads = []
    plans = []  # per round: (required names, slot indices, L, Q)

    def usable(authority, k):
        first, last = slots[k], slot_end(frame.kind, slots[k])
        return authority.active_during(first, last) and not authority.blackout_during(first, last)

    for first, after, _ in rounds:
        last_day = after - datetime.timedelta(days=1)
        in_round = [k for k, s in enumerate(slots) if first <= s < after]
        required = [a for a in frame.authorities if a.active_throughout(first, last_day)]
        names = [a.name for a in required]
        if len(required) < 3:
            raise PlanningError(
                f"A round needs at least three LAs (host, lead and QA differ); "
                f"{len(required)} are active from {first:%B %Y}."
            )
        for authority in required:
            for role, store in (("host", host_var), ("lead", lead_var), ("qa", qa_var)):
                choices = {
                    k: model.NewBoolVar(f"{role}[{authority.name},{k}]")
                    for k in in_round
                    if usable(authority, k)
                }
                if not choices:
                    raise PlanningError(
                        f"{authority.name} has no usable slot from {first:%B %Y}: "
                        "its blackouts cover the whole round."
                    )
                model.AddExactlyOne(choices.values())
                store[(first, authority.name)] = choices
                for k, var in choices.items():
                    for quarter in quarters_of(frame.kind, slots[k]):
                        quarter_terms.setdefault((authority.name, quarter), []).append(var)
        lead = {}
        qa = {}
        for h in names:
            for other in names:
                if other != h:
                    lead[h, other] = model.NewBoolVar(f"L[{h},{other}]")
                    qa[h, other] = model.NewBoolVar(f"Q[{h},{other}]")
                    model.AddBoolOr([lead[h, other].Not(), qa[h, other].Not()])
        for h in names:
            model.AddExactlyOne(lead[h, o] for o in names if o != h)
            model.AddExactlyOne(qa[h, o] for o in names if o != h)
            model.AddExactlyOne(lead[o, h] for o in names if o != h)
            model.AddExactlyOne(qa[o, h] for o in names if o != h)
        # The lead's and the QA's slot is the host's slot.
        for (h, other), var in lead.items():
            for k, hosting in host_var[(first, h)].items():
                leading = lead_var[(first, other)].get(k)
                if leading is None:
                    model.AddImplication(var, hosting.Not())
                else:
                    model.Add(leading >= hosting).OnlyEnforceIf(var)
        for (h, other), var in qa.items():
            for k, hosting in host_var[(first, h)].items():
                checking = qa_var[(first, other)].get(k)
                if checking is None:
                    model.AddImplication(var, hosting.Not())
                else:
                    model.Add(checking >= hosting).OnlyEnforceIf(var)
        # No reciprocal leads within a round: a hard rule (R12).
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                model.Add(lead[a, b] + lead[b, a] <= 1)
        # Spread: the fullest slot of the round, and reviews per year of the programme.
        loads = {
            k: sum(host_var[(first, n)][k] for n in names if k in host_var[(first, n)])
            for k in in_round
        }
        fullest = model.NewIntVar(0, len(names), f"fullest[{first}]")
        for load in loads.values():
            model.Add(fullest >= load)
        objective.append(LOAD_WEIGHT * fullest)
        plans.append((first, names, lead, qa))

    years = frame.months // 12
    if years >= 2:
        per_year = []
        for y in range(years):
            inside = [
                var
                for store in host_var.values()
                for k, var in store.items()
                if add_months(frame.start, 12 * y)
                <= slots[k]
                < add_months(frame.start, 12 * (y + 1))
            ]
            count = model.NewIntVar(0, len(inside), f"year[{y}]")
            model.Add(count == sum(inside))
            per_year.append(count)
        most = model.NewIntVar(0, len(host_var), "most")
        least = model.NewIntVar(0, len(host_var), "least")
        model.AddMaxEquality(most, per_year)
        model.AddMinEquality(least, per_year)
        objective.append(SPREAD_WEIGHT * (most - least))

    # At most one activity per LA per quarter, counting the other kind's calendar.
    fixed = {}
    for activity in frame.context:
        for quarter in quarters_of(activity.kind, activity.start):
            fixed[(activity.authority, quarter)] = fixed.get((activity.authority, quarter), 0) + 1
    for (name, quarter), terms in sorted(
        quarter_terms.items(), key=lambda kv: (kv[0][1], kv[0][0])
    ):
        already = fixed.get((name, quarter_start(quarter)), 0)
        if len(terms) + already <= 1:
            continue
        excess = model.NewIntVar(0, len(terms) + already, f"busy[{name},{quarter}]")
        if already > 1:
            # Two parts in the other calendar alone are not this calendar's doing, and
            # the validator warns only where this calendar has a part: count them only
            # once this calendar adds one.
            involved = model.NewBoolVar(f"involved[{name},{quarter}]")
            model.AddMaxEquality(involved, terms)
            model.Add(excess >= sum(terms) + (already - 1) * involved)
        else:
            model.Add(excess >= sum(terms) + already - 1)
        objective.append(QUARTER_WEIGHT * excess)
        overloads.append(excess)

    if frame.kind == SAV:
        step = 2
        for (first, _, _), (second, _, _) in itertools.pairwise(rounds):
            for authority in frame.authorities:
                before = host_var.get((first, authority.name))
                after = host_var.get((second, authority.name))
                if before is None or after is None:
                    continue
                gap = sum(step * k * v for k, v in after.items()) - sum(
                    step * k * v for k, v in before.items()
                )
                deviation = model.NewIntVar(0, frame.months, f"gap[{authority.name},{first}]")
                model.Add(deviation >= gap - frame.interval)
                model.Add(deviation >= frame.interval - gap)
                objective.append(SPACING_WEIGHT * deviation)

    for first, names, lead, qa in plans:
        after = add_months(first, frame.round_months)
        in_round = [r for r in hints if first <= r.start < after]
        if not in_round:
            continue
        starts = {}
        for row in in_round:
            for name, store in ((row.host, host_var), (row.lead, lead_var), (row.qa, qa_var)):
                starts[(id(store), name)] = row.start
        for store in (host_var, lead_var, qa_var):
            for name in names:
                for k, var in store[(first, name)].items():
                    model.AddHint(var, slots[k] == starts.get((id(store), name)))
        led = {(r.host, r.lead) for r in in_round}
        checked = {(r.host, r.qa) for r in in_round}
        for pair, var in lead.items():
            model.AddHint(var, pair in led)
        for pair, var in qa.items():
            model.AddHint(var, pair in checked)

    model.Minimize(sum(objective))
    hinted = _hints_complete(model, seed=seed, effort=effort) if hints else None
    # The soft rules are ranked: first the fewest activities beyond one an LA a quarter,
    # whatever the rest costs; then, keeping that, the best of the others. Weights alone
    # would trade one busy quarter for enough spread or spacing.
    least = None
    proven = True
    if overloads:
        model.Minimize(sum(overloads))
        first_pass = _solver(seed=seed, effort=effort / 2)
        status = first_pass.Solve(model)
        if status == cp_model.INFEASIBLE:
            raise PlanningError(
                "No calendar keeps every hard rule: the blackouts or the LAs' active dates "
                "leave some LA without a slot it can host, lead or QA in."
            )
        # Proven only if this pass proves the fewest busy quarters; one that ran out of
        # budget proves nothing, whatever the second pass then finds.
        proven = status == cp_model.OPTIMAL
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            least = round(first_pass.ObjectiveValue())
            model.Add(sum(overloads) <= least)
            model.ClearHints()
            for index, value in enumerate(first_pass.ResponseProto().solution):
                model.AddHint(model.GetIntVarFromProtoIndex(index), value)
            hinted = first_pass
        model.Minimize(sum(objective))
    solver = _solver(seed=seed, effort=effort)
    status = solver.Solve(model)
    if status == cp_model.INFEASIBLE:
        raise PlanningError(
            "No calendar keeps every hard rule: the blackouts or the LAs' active dates "
            "leave some LA without a slot it can host, lead or QA in."
        )
    optimal = status == cp_model.OPTIMAL and proven
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if hinted is None:
            raise PlanningError("No calendar was found within the planner's budget.")
        # A budget too small to get past the solver's presolve still has the hinted
        # calendar, which keeps every hard rule.
        solver = hinted
        optimal = False

    rows = []
    for first, names, lead, qa in plans:
        for h in names:
            k = next(k for k, v in host_var[(first, h)].items() if solver.Value(v))
            row_lead = next(o for o in names if o != h and solver.Value(lead[h, o]))
            row_qa = next(o for o in names if o != h and solver.Value(qa[h, o]))
            rows.append(Row(start=slots[k], host=h, lead=row_lead, qa=row_qa))
    rows.sort(key=lambda r: (r.start, r.host))
    return Plan(
        rows=rows,
        optimal=optimal,
        penalty=round(solver.Value(sum(objective))),
        overload=round(solver.Value(sum(overloads))) if overloads else 0,
        least_overload=(least is not None and proven) if overloads else True,
    )


def _solver(*, seed: int, effort: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = effort
    # Without blackouts the LAs are interchangeable, and the solver's search for that
    # symmetry took most of the wall time of a 33-LA model (2.4 s of 2.8 s for a PCTR
    # cycle) without a better plan in any case benchmarks/bench_planner.py times.
    solver.parameters.symmetry_level = 0
    return solver


def _hints_complete(
    model: cp_model.CpModel, *, seed: int, effort: float
) -> cp_model.CpSolver | None:
    """Extend the hints on the calendar's choices to every variable of the model.

    The solver completes a partial hint by its own search, which sets the penalty terms
    (the busy quarters, the spacing) far above what the hinted calendar costs, and then
    starts from that worse point. Solving once with the hinted choices fixed prices the
    hinted calendar exactly; offering that whole solution as the hint makes it the
    solver's first solution. A hint that breaks a hard rule (a blackout in a later round,
    say) is left as it was. Returns the solver holding the hinted calendar, or None."""
    solver = _solver(seed=seed, effort=effort)
    solver.parameters.fix_variables_to_their_hinted_value = True
    if solver.Solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    model.ClearHints()
    for index, value in enumerate(solver.ResponseProto().solution):
        model.AddHint(model.GetIntVarFromProtoIndex(index), value)
    return solver
