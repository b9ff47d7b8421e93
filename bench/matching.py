"""The matching engine: precision at 5 on the demo's labelled need–technology pairs (also with
Chinese needs against English technologies) and the time to rank 2,000 technologies for each of
200 needs. Target: <= 1 s. No database needed.

Run: .venv/bin/python bench/matching.py [needs] [technologies]
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

from mentoring.matchmaking import evaluation  # noqa: E402

NEEDS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
TECHNOLOGIES = int(sys.argv[2]) if len(sys.argv) > 2 else 2000

if __name__ == "__main__":
    precision = evaluation.precision_at(5)
    cross = evaluation.precision_at(5, cross_language=True)
    evaluation.timed_ranking(20, 200)  # warm up (imports, regular expressions)
    wall, cpu = min(evaluation.timed_ranking(NEEDS, TECHNOLOGIES) for _ in range(3))
    print(
        f"matching: precision@5 {precision:.2f} (Chinese needs vs English technologies "
        f"{cross:.2f}); {NEEDS} needs x {TECHNOLOGIES} technologies ranked in {wall:.2f} s "
        f"({cpu:.2f} s CPU; target <= 1 s)"
    )
