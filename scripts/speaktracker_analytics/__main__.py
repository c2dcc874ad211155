"""``python -m speaktracker_analytics [--events .dev/analytics] [--out build/analytics]`` (``make analytics``):
prints the answers to the business's questions and draws them as PNG charts."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .charts import draw_all
from .queries import AnalyticsStore

TITLES = {
    "daily_active_learners": "Daily active learners (KST days)",
    "weekly_active_learners": "Weekly active learners (weeks from Monday)",
    "practice_per_day": "Practice sessions and minutes per day",
    "scores_by_level": "Average pronunciation score by level",
    "score_trend_by_level": "Average score by level, per day",
    "conversation_turns_per_day": "AI conversation turns per day",
    "match_response_times": "Tutor response time to match requests (minutes)",
    "feedback_response_times": "Tutor feedback after practice (minutes)",
}


def report(answers: dict[str, list[Any]]) -> str:
    lines: list[str] = []
    for name, rows in answers.items():
        lines += ["", f"== {TITLES[name]}"]
        if not rows:
            lines.append("   (no events yet)")
            continue
        header = list(asdict(rows[0]))
        table = [header] + [[str(v) for v in asdict(row).values()] for row in rows]
        widths = [max(len(r[i]) for r in table) for i in range(len(header))]
        lines += ["   " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths)) for r in table]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m speaktracker_analytics", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--events",
        type=Path,
        default=Path(".dev/analytics"),
        help="the archive's root: events/type=<type>/dt=YYYY-MM-DD/*.json below it",
    )
    parser.add_argument("--out", type=Path, default=Path("build/analytics"), help="where the PNG charts go")
    args = parser.parse_args(argv)
    with AnalyticsStore(args.events) as store:
        answers = store.summary()
    print(f"Learning analytics over {args.events}")
    print(report(answers))
    drawn = draw_all(answers, args.out)
    print("\ncharts: " + ", ".join(str(path) for path in drawn))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
