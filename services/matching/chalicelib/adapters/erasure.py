"""Erasing a deleted user's rows from matching's tables (the links end through ``DynamoLinks.end`` first)."""

from __future__ import annotations

from typing import Any

from speaktracker.dynamo import delete_keys

from ..domain import MAX_SEARCH_WORDS, MatchRequest, pair_guard_id
from .tutors import STUDENT_PREFIX, WORD_PREFIX


class DynamoMatchingErasure:
    def __init__(self, client: Any, requests_table: str, tutors_table: str) -> None:
        self._db, self._requests, self._tutors = client, requests_table, tutors_table

    def forget_requests(self, requests: list[MatchRequest]) -> None:
        keys = {r.request_id for r in requests} | {pair_guard_id(r.student_email, r.tutor_email) for r in requests}
        delete_keys(self._db, self._requests, [{"requestId": k} for k in sorted(keys)])

    def forget_user(self, email: str) -> None:
        # The tutor item, its WORD items (at most one per later word a search finds) and the STUDENT# item:
        # deleting a key that holds nothing changes nothing, so no read is needed first.
        words = [f"{WORD_PREFIX}{email}#{n}" for n in range(1, MAX_SEARCH_WORDS + 1)]
        keys = [email, f"{STUDENT_PREFIX}{email}", *words]
        delete_keys(self._db, self._tutors, [{"tutorEmail": k} for k in keys])
