"""Median time of suggest_selection for 200, 2,000 and 20,000 random candidates, capacity 20,
with 5, 14 and 20 quota rules. Target: under 0.5 s at 20,000 with 20 rules.

Run: .venv/bin/python bench/selection.py
"""

import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

from cohorts.selection import Candidate, QuotaRule, suggest_selection  # noqa: E402

AREAS = [
    "renewable_energy",
    "storage_hydrogen",
    "efficiency",
    "transport",
    "carbon_capture",
    "air",
    "water",
    "waste",
    "buildings",
    "agriculture",
    "materials",
]
SIZES = ["micro", "small", "medium"]
REGIONS = ["beijing", "shanghai", "guangdong", "jiangsu", "zhejiang", "sichuan"]
RULES = [
    QuotaRule(1, "at most 6: renewable energy", "green_area", "renewable_energy", None, 6),
    QuotaRule(2, "at most 6: water", "green_area", "water", None, 6),
    QuotaRule(3, "at least 5 micro companies", "size_class", "micro", 5, None),
    QuotaRule(4, "at most 8 from Beijing", "region", "beijing", None, 8),
    QuotaRule(5, "at least 2 from Sichuan", "region", "sichuan", 2, None),
    *[
        QuotaRule(6 + n, f"at most 4: {area}", "green_area", area, None, 4)
        for n, area in enumerate(AREAS[1:6] + AREAS[7:])
    ],
    QuotaRule(16, "at most 10 small companies", "size_class", "small", None, 10),
    QuotaRule(17, "at most 10 medium companies", "size_class", "medium", None, 10),
    QuotaRule(18, "at most 6 from Shanghai", "region", "shanghai", None, 6),
    QuotaRule(19, "at least 1 from Zhejiang", "region", "zhejiang", 1, None),
    QuotaRule(20, "at least 1 from Jiangsu", "region", "jiangsu", 1, None),
]
CAPACITY, RUNS = 20, 5


def candidates(count: int, rng: random.Random) -> list[Candidate]:
    """Skewed so that the rules bind: many renewable, water and Beijing applicants, few micro."""
    start = datetime(2026, 3, 1)
    return [
        Candidate(
            id=i,
            score=round(rng.uniform(20, 100), 2),
            ip_relevance=rng.choice([1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]),
            submitted_at=start + timedelta(minutes=rng.randrange(60 * 24 * 30)),
            attributes={
                "green_area": rng.choices(AREAS, weights=[5, 1, 1, 1, 1, 1, 5, 1, 1, 1, 1])[0],
                "size_class": rng.choices(SIZES, weights=[1, 4, 4])[0],
                "region": rng.choices(REGIONS, weights=[6, 2, 2, 2, 2, 1])[0],
            },
        )
        for i in range(count)
    ]


def median_seconds(count: int, rules) -> tuple[float, float, float]:
    """Median seconds on the clock and of this process's CPU (steadier on a loaded machine),
    and the mean number of lines with a reason."""
    rng = random.Random(count)
    times, cpu, moved = [], [], 0
    for _run in range(RUNS):
        pool = candidates(count, rng)
        began, began_cpu = time.perf_counter(), time.process_time()
        suggestion = suggest_selection(pool, rules, CAPACITY)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        moved += sum(1 for line in suggestion.lines.values() if line.reason)
    return statistics.median(times), statistics.median(cpu), moved / RUNS


def main():
    for count, rules in [(200, 5), (2_000, 5), (20_000, 5), (20_000, 14), (20_000, 20)]:
        seconds, cpu, moved = median_seconds(count, RULES[:rules])
        print(
            f"selection: {count} candidates {rules} rules capacity {CAPACITY}: "
            f"{seconds * 1000:.1f} ms median of {RUNS}, {moved:.1f} lines with a reason, "
            f"{cpu * 1000:.1f} ms cpu",
            flush=True,
        )


if __name__ == "__main__":
    main()
