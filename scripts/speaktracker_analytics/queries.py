"""The business's questions about learning, in SQL over the archived events (DuckDB reads the files).

One view per event type (``practice_result``, ``tutor_match`` ...), its columns from the event contract,
deduplicated by ``eventId`` (delivery is at least once, in AWS as in the dev stack), with ``occurred_at`` (UTC)
and ``day`` (the product's day, Korean time, as practice's statistics count it). A type with no files yet is
an empty view, so every question can be asked of any archive.

    with AnalyticsStore(".dev/analytics") as store:
        store.daily_active_learners()   # [Row(day=date(2026, 12, 1), learners=1)]
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from .layout import EVENTS_PREFIX, columns_of, event_types

KST_OFFSET = "INTERVAL 9 HOUR"

# A learner is a student who practised or spoke in a conversation.
_LEARNING = """
    SELECT studentEmail AS learner, day FROM practice_result
    UNION ALL SELECT studentEmail, day FROM practice_session_ended
    UNION ALL SELECT studentEmail, day FROM conversation_turn_completed
"""


@dataclass(frozen=True)
class DailyLearners:
    day: date
    learners: int


@dataclass(frozen=True)
class WeeklyLearners:
    week: date  # the Monday that starts it
    learners: int


@dataclass(frozen=True)
class DailyPractice:
    day: date
    sessions: int
    session_minutes: float
    speaking_minutes: float  # assessed recordings and conversation turns


@dataclass(frozen=True)
class LevelScore:
    level: str
    assessments: int
    average_score: float


@dataclass(frozen=True)
class DailyLevelScore:
    day: date
    level: str
    assessments: int
    average_score: float


@dataclass(frozen=True)
class DailyTurns:
    day: date
    turns: int
    conversations: int
    learners: int


@dataclass(frozen=True)
class ResponseTime:
    day: date
    responses: int
    average_minutes: float
    slowest_minutes: float


class AnalyticsStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._db = duckdb.connect(":memory:")
        for event_type in event_types():
            self._db.execute(f"CREATE VIEW {event_type} AS {self._view_sql(event_type)}")

    def __enter__(self) -> AnalyticsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    # --- the questions -----------------------------------------------------------------------------------
    def daily_active_learners(self) -> list[DailyLearners]:
        return self._rows(
            DailyLearners, f"SELECT day, count(DISTINCT learner) FROM ({_LEARNING}) GROUP BY day ORDER BY day"
        )

    def weekly_active_learners(self) -> list[WeeklyLearners]:
        return self._rows(
            WeeklyLearners,
            f"SELECT CAST(date_trunc('week', day) AS DATE) AS week, "
            f"count(DISTINCT learner) FROM ({_LEARNING}) GROUP BY week ORDER BY week",
        )

    def practice_per_day(self) -> list[DailyPractice]:
        return self._rows(
            DailyPractice,
            """
            WITH sessions AS (SELECT day, count(*) AS n, sum(durationSeconds) / 60.0 AS minutes
                              FROM practice_session_ended GROUP BY day),
                 speech AS (SELECT day, sum(speakingSeconds) / 60.0 AS minutes FROM (
                              SELECT day, speakingSeconds FROM practice_result
                              UNION ALL SELECT day, speakingSeconds FROM conversation_turn_completed) GROUP BY day)
            SELECT day, coalesce(sessions.n, 0), round(coalesce(sessions.minutes, 0), 2),
                   round(coalesce(speech.minutes, 0), 2)
            FROM sessions FULL JOIN speech USING (day) ORDER BY day""",
        )

    def scores_by_level(self) -> list[LevelScore]:
        return self._rows(
            LevelScore,
            "SELECT coalesce(level, 'own sentence') AS lvl, count(*), "
            "round(avg(overallScore), 1) FROM practice_result GROUP BY lvl ORDER BY lvl",
        )

    def score_trend_by_level(self) -> list[DailyLevelScore]:
        return self._rows(
            DailyLevelScore,
            "SELECT day, coalesce(level, 'own sentence') AS lvl, count(*), "
            "round(avg(overallScore), 1) FROM practice_result GROUP BY day, lvl "
            "ORDER BY day, lvl",
        )

    def conversation_turns_per_day(self) -> list[DailyTurns]:
        return self._rows(
            DailyTurns,
            "SELECT day, count(*), count(DISTINCT conversationId), "
            "count(DISTINCT studentEmail) FROM conversation_turn_completed "
            "GROUP BY day ORDER BY day",
        )

    def match_response_times(self) -> list[ResponseTime]:
        """From a student's request to the tutor's approval or rejection, by the day the tutor answered."""
        return self._response_times("""
            SELECT answer.day, epoch(answer.occurred_at - request.occurred_at) / 60.0 AS minutes
            FROM tutor_match request JOIN tutor_match answer USING (requestId)
            WHERE request.action = 'requested' AND answer.action IN ('approved', 'rejected')""")

    def feedback_response_times(self) -> list[ResponseTime]:
        """From the first practice result a tutor had not yet answered to their feedback to that student."""
        return self._response_times("""
            WITH sent AS (SELECT *, lag(occurred_at) OVER (PARTITION BY tutorEmail, studentEmail
                                                           ORDER BY occurred_at) AS previous
                          FROM feedback),
                 waited AS (SELECT sent.day, sent.occurred_at AS answered_at,
                                   (SELECT min(r.occurred_at) FROM practice_result r
                                    WHERE r.studentEmail = sent.studentEmail AND r.occurred_at <= sent.occurred_at
                                      AND (sent.previous IS NULL OR r.occurred_at > sent.previous)) AS asked_at
                            FROM sent)
            SELECT day, epoch(answered_at - asked_at) / 60.0 AS minutes FROM waited WHERE asked_at IS NOT NULL""")

    def summary(self) -> dict[str, list[Any]]:
        """Every question's answer, by name."""
        names = (
            "daily_active_learners",
            "weekly_active_learners",
            "practice_per_day",
            "scores_by_level",
            "score_trend_by_level",
            "conversation_turns_per_day",
            "match_response_times",
            "feedback_response_times",
        )
        return {name: getattr(self, name)() for name in names}

    # --- plumbing -------------------------------------------------------------------------------------
    def _response_times(self, waits_sql: str) -> list[ResponseTime]:
        return self._rows(
            ResponseTime,
            f"SELECT day, count(*), round(avg(minutes), 2), round(max(minutes), 2) "
            f"FROM ({waits_sql}) GROUP BY day ORDER BY day",
        )

    def _rows(self, row_type: type, sql: str) -> list[Any]:
        names = [f.name for f in fields(row_type)]
        return [row_type(**dict(zip(names, values))) for values in self._db.execute(sql).fetchall()]

    def _view_sql(self, event_type: str) -> str:
        columns = columns_of(event_type)
        pattern = self.root / EVENTS_PREFIX / f"type={event_type}" / "dt=*" / "*.json"
        if any(self.root.glob(str(pattern.relative_to(self.root)))):
            spec = ", ".join(f"'{name}': '{sql_type}'" for name, sql_type in columns.items())
            source = (
                f"SELECT * FROM read_json('{_quoted(pattern)}', format='newline_delimited', "
                f"columns={{{spec}}}, hive_partitioning=false)"
            )
        else:
            nulls = ", ".join(f'CAST(NULL AS {sql_type}) AS "{name}"' for name, sql_type in columns.items())
            source = f"SELECT {nulls} WHERE false"
        return (
            f"SELECT *, occurred_at + {KST_OFFSET} AS local_time, CAST(occurred_at + {KST_OFFSET} AS DATE) AS day "
            f"FROM (SELECT DISTINCT ON (eventId) *, CAST(occurredAt AS TIMESTAMP) AS occurred_at FROM ({source}) "
            f"ORDER BY eventId, occurredAt)"
        )


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
