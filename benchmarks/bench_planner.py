"""Time the planner for 10 and 33 LAs: a three-year PCTR cycle and three years of SAVs
every 18 months, at the default effort, three runs each.

    .venv/bin/python benchmarks/bench_planner.py

The planner and validator are plain Python over OR-Tools, so no Django is set up. The
solver's budget is deterministic: the calendars are the same on every run and machine,
only the seconds vary.
"""

import datetime
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from calendar_planner.periods import PCTR, SAV
from calendar_planner.planner import DEFAULT_EFFORT, plan
from calendar_planner.rules import Authority, Frame, validate

REPEATS = 3
START = datetime.date(2026, 1, 1)
CASES = [(10, PCTR), (10, SAV), (33, PCTR), (33, SAV)]


def frame_for(count: int, kind: str) -> Frame:
    return Frame(
        kind=kind,
        start=START,
        months=36,
        authorities=tuple(Authority(f"LA {i:02d}") for i in range(1, count + 1)),
        interval=18 if kind == SAV else None,
    )


def main() -> None:
    print(f"planner at effort {DEFAULT_EFFORT:g}, 36 months from {START:%Y-%m}, {REPEATS} runs")
    print("LAs  kind   best s  median s  optimal  penalty  errors  warnings  same calendar")
    for count, kind in CASES:
        frame = frame_for(count, kind)
        seconds, calendars = [], []
        for _ in range(REPEATS):
            began = time.perf_counter()
            result = plan(frame)
            seconds.append(time.perf_counter() - began)
            calendars.append(result.rows)
        findings = validate(frame, result.rows)
        errors = sum(f.is_error for f in findings)
        print(
            f"{count:>3}  {kind:<4}  {min(seconds):>7.2f}  {statistics.median(seconds):>8.2f}  "
            f"{'yes' if result.optimal else 'no':<7}  {result.penalty:>7}  {errors:>6}  "
            f"{len(findings) - errors:>8}  "
            f"{'yes' if all(c == calendars[0] for c in calendars) else 'NO'}"
        )


if __name__ == "__main__":
    main()
