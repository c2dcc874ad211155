"""A generated practice set, stored in one BatchWriteItem: its speech jobs and the student's sentence records."""

from __future__ import annotations

from typing import Any

from ..domain.mastery import SentenceRecord
from ..domain.speech_jobs import TtsJob
from .dynamodb_batch import put_all
from .dynamodb_speech import job_item
from .dynamodb_students import record_item


class DynamoPracticeSets:
    def __init__(self, client: Any, jobs_table: str, mastery_table: str) -> None:
        self._db, self._jobs, self._mastery = client, jobs_table, mastery_table

    def add(self, jobs: list[TtsJob], served: list[SentenceRecord]) -> None:
        put_all(
            self._db,
            [(self._jobs, job_item(job)) for job in jobs] + [(self._mastery, record_item(r)) for r in served],
        )
