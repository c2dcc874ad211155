"""PNG charts of the analytics answers (matplotlib, no display needed)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.ticker import MaxNLocator

# Levels are Korean (초급, 중급, 고급): use a CJK font when the machine has one (fonts-noto-cjk).
_CJK = [f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name]
if _CJK:
    plt.rcParams["font.family"] = [_CJK[0], "DejaVu Sans"]


def draw_all(answers: dict[str, list[Any]], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    drawn = [
        _bars(
            out / "active_learners.png",
            "Active learners",
            [
                ("per day (KST)", [(r.day, r.learners) for r in answers["daily_active_learners"]]),
                ("per week (from Monday)", [(r.week, r.learners) for r in answers["weekly_active_learners"]]),
            ],
            "learners",
        ),
        _bars(
            out / "practice_per_day.png",
            "Practice per day (KST)",
            [
                ("sessions", [(r.day, r.sessions) for r in answers["practice_per_day"]]),
                ("speaking minutes", [(r.day, r.speaking_minutes) for r in answers["practice_per_day"]]),
            ],
            "",
        ),
        _score_chart(out / "scores_by_level.png", answers["scores_by_level"], answers["score_trend_by_level"]),
        _bars(
            out / "conversation_turns.png",
            "AI conversation per day (KST)",
            [
                ("turns", [(r.day, r.turns) for r in answers["conversation_turns_per_day"]]),
                ("conversations", [(r.day, r.conversations) for r in answers["conversation_turns_per_day"]]),
            ],
            "",
        ),
        _bars(
            out / "tutor_response_times.png",
            "Tutor response time, average per day (KST)",
            [
                ("to match requests", [(r.day, r.average_minutes) for r in answers["match_response_times"]]),
                ("feedback after practice", [(r.day, r.average_minutes) for r in answers["feedback_response_times"]]),
            ],
            "minutes",
        ),
    ]
    return drawn


def _bars(path: Path, title: str, panels: list[tuple[str, list[tuple[Any, float]]]], unit: str) -> Path:
    figure, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4), squeeze=False)
    for axis, (name, points) in zip(axes[0], panels):
        labels = [str(x) for x, _ in points]
        values = [y for _, y in points]
        bars = axis.bar(labels, values, color="#3b7dd8")
        axis.bar_label(bars, labels=[_number(v) for v in values], padding=2)
        axis.set_title(name)
        axis.set_ylabel(unit)
        axis.set_ylim(0, max(values, default=0) * 1.25 or 1)
        if all(float(v).is_integer() for v in values):  # counts: whole ticks only
            axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        axis.tick_params(axis="x", rotation=30)
        if not points:
            _nothing_yet(axis)
    return _save(figure, title, path)


def _score_chart(path: Path, by_level: list[Any], trend: list[Any]) -> Path:
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    bars = left.bar([r.level for r in by_level], [r.average_score for r in by_level], color="#3b7dd8")
    left.bar_label(bars, labels=[f"{r.average_score:g} (n={r.assessments})" for r in by_level], padding=2)
    left.set_title("average score by level")
    left.set_ylim(0, 110)
    series: dict[str, list[Any]] = defaultdict(list)
    for row in trend:
        series[row.level].append(row)
    for level, rows in sorted(series.items()):
        right.plot([r.day for r in rows], [r.average_score for r in rows], marker="o", label=level)
    span = (trend[-1].day - trend[0].day).days if trend else 0
    right.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, span // 8)))
    right.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    right.set_title("daily average by level (KST)")
    right.set_ylim(0, 105)
    right.tick_params(axis="x", rotation=30)
    if series:
        right.legend()
    for axis in (left, right):
        axis.set_ylabel("score (0-100)")
        if not by_level:
            _nothing_yet(axis)
    return _save(figure, "Pronunciation scores", path)


def _nothing_yet(axis: Any) -> None:
    axis.set_xticks([])
    axis.text(0.5, 0.5, "no events yet", ha="center", va="center", transform=axis.transAxes)


def _save(figure: Any, title: str, path: Path) -> Path:
    figure.suptitle(title, fontsize=14)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def _number(value: float) -> str:
    return f"{value:g}"
