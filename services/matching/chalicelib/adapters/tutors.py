"""Matching's projection of users in the ``tutors`` table.

A tutor is one item under their email plus one WORD item per later word of their name
(``WORD#email#n``, see ``domain.search_keys``). Every one of them carries ``tutorShard`` and the search key
``nameKey``; while the tutor accepts and has a free seat they also carry ``openShard``, so
``open-name-index`` is sparse and a search of open tutors is a Query with no filter. The tutor item's
``revision`` changes with every write that moves capacity or search keys, and such writes are conditioned on
it, so WORD items never disagree with their tutor.

A student is one item under ``STUDENT#email`` with no index attributes: their name, their live state, and
``activeTutor``, the guard that keeps a student to one tutor (a transaction cannot condition on a GSI).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import decode_cursor, encode_cursor, from_item, is_condition_failure, to_item
from speaktracker.errors import Conflict, Invalid

from ..domain import SEARCH_SHARD, Student, Tutor, finding_key, search_keys
from ..ports import Page, TutorChanged
from .writes import Expression, Transaction

STUDENT_PREFIX, WORD_PREFIX = "STUDENT#", "WORD#"
ATTEMPTS = 3


def student_key(email: str) -> dict[str, Any]:
    return to_item({"tutorEmail": f"{STUDENT_PREFIX}{email}"})


def tutor_key(email: str) -> dict[str, Any]:
    return to_item({"tutorEmail": email})


def _word_key(email: str, position: int) -> str:
    return f"{WORD_PREFIX}{email}#{position}"


def word_items(tutor: Tutor) -> list[dict[str, Any]]:
    return [
        {
            "tutorEmail": _word_key(tutor.email, position),
            "wordOf": tutor.email,
            "name": tutor.name,
            "nameKey": key,
            "tutorShard": SEARCH_SHARD,
            "openShard": SEARCH_SHARD if tutor.is_open else None,
        }
        for position, key in enumerate(search_keys(tutor.name, tutor.email)[1:], start=1)
    ]


def move_capacity(
    transaction: Transaction, table: str, before: Tutor, after: Tutor, adding: bool = False, **settings: Any
) -> Transaction:
    """The tutor's count and open flag move together, and only from the state the decision was made on;
    adding a student also states the rule itself: a tutor has at most maxStudents students. WORD items
    follow when the tutor opens or closes."""
    condition = "#revision = :revision" + (" AND #studentCount < #maxStudents" if adding else "")
    transaction.update(
        table,
        tutor_key(before.email),
        Expression(
            sets={
                "studentCount": after.student_count,
                "revision": after.revision,
                **settings,
                **({"openShard": SEARCH_SHARD} if after.is_open else {}),
            },
            removes=() if after.is_open else ("openShard",),
            condition=condition,
            values={":revision": before.revision},
        ),
        TutorChanged,
    )
    if before.is_open != after.is_open:
        for item in word_items(after):
            transaction.put(table, item)
    return transaction


def _tutor_item(tutor: Tutor, profile_at: str) -> dict[str, Any]:
    return {
        "tutorEmail": tutor.email,
        "name": tutor.name,
        "nameKey": search_keys(tutor.name, tutor.email)[0],
        "intro": tutor.intro,
        "isAccepting": tutor.is_accepting,
        "maxStudents": tutor.max_students,
        "studentCount": tutor.student_count,
        "revision": tutor.revision,
        "tutorShard": SEARCH_SHARD,
        "openShard": SEARCH_SHARD if tutor.is_open else None,
        "profileAt": profile_at,
    }


def _tutor(item: dict[str, Any]) -> Tutor:
    return Tutor(
        email=item["tutorEmail"],
        name=item.get("name", ""),
        intro=item.get("intro", ""),
        is_accepting=bool(item.get("isAccepting", False)),
        max_students=int(item.get("maxStudents", 0)),
        student_count=int(item.get("studentCount", 0)),
        revision=int(item.get("revision", 0)),
    )


class _AlreadyThere(Conflict):
    def __init__(self) -> None:
        super().__init__("The tutor exists already.", "TUTOR_EXISTS")


class DynamoTutors:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def get(self, email: str) -> Tutor | None:
        item = self._item(email)
        return _tutor(item) if item else None

    def search(self, prefix: str, open_only: bool, cursor: str | None, limit: int, caller: str) -> Page[Tutor]:
        index, shard = ("open-name-index", "openShard") if open_only else ("all-name-index", "tutorShard")
        condition = "#shard = :shard" + (" AND begins_with(nameKey, :prefix)" if prefix else "")
        values = {":shard": {"S": SEARCH_SHARD}, **({":prefix": {"S": prefix}} if prefix else {})}
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": {"#shard": shard},
            "ExpressionAttributeValues": values,
            "Limit": limit,
        }
        purpose = f"{self._table}#{index}?{prefix}"  # a cursor continues only the search that made it
        start = self._start(cursor, shard, prefix, purpose, caller)
        if start:
            arguments["ExclusiveStartKey"] = start
        page = self._db.query(**arguments)
        found = self._tutors_found([from_item(i) for i in page.get("Items", [])], prefix)
        return Page(
            [t for t in found if t.is_open or not open_only],
            encode_cursor(page.get("LastEvaluatedKey"), purpose, caller=caller),
        )

    def save_settings(self, before: Tutor, after: Tutor) -> None:
        settings = {
            "isAccepting": after.is_accepting,
            "maxStudents": after.max_students,
            **({"intro": after.intro} if after.intro != before.intro else {}),
        }
        move_capacity(Transaction(self._db), self._table, before, after, **settings).commit()

    def project_profile(self, email: str, name: str, intro: str | None, occurred_at: str) -> None:
        for _ in range(ATTEMPTS):
            item = self._item(email)
            try:
                if item is None:
                    self._create(Tutor(email=email, name=name, intro=intro or ""), occurred_at)
                elif item.get("profileAt", "") < occurred_at:
                    self._rename(_tutor(item), name, intro, occurred_at)
                return  # an event older than the last one applied, or a redelivery, changes nothing
            except (TutorChanged, _AlreadyThere):
                continue
        raise TutorChanged()

    def _create(self, tutor: Tutor, occurred_at: str) -> None:
        transaction = Transaction(self._db).put(
            self._table, _tutor_item(tutor, occurred_at), "attribute_not_exists(tutorEmail)", _AlreadyThere
        )
        for word in word_items(tutor):
            transaction.put(self._table, word)
        transaction.commit()

    def _rename(self, tutor: Tutor, name: str, intro: str | None, occurred_at: str) -> None:
        renamed = tutor.renamed(name, intro)
        transaction = Transaction(self._db).update(
            self._table,
            tutor_key(tutor.email),
            Expression(
                sets={
                    "name": renamed.name,
                    "nameKey": search_keys(renamed.name, renamed.email)[0],
                    "intro": renamed.intro,
                    "profileAt": occurred_at,
                    "revision": renamed.revision,
                },
                condition="#revision = :revision",
                values={":revision": tutor.revision},
            ),
            TutorChanged,
        )
        words = word_items(renamed)
        for word in words:
            transaction.put(self._table, word)
        for position in range(len(words) + 1, len(search_keys(tutor.name, tutor.email))):
            transaction.delete(self._table, to_item({"tutorEmail": _word_key(tutor.email, position)}))
        transaction.commit()

    def _item(self, email: str) -> dict[str, Any] | None:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=tutor_key(email), ConsistentRead=True).get("Item")
        )
        return item if item and item.get("tutorShard") and not item.get("wordOf") else None

    def _start(self, cursor: str | None, shard: str, prefix: str, purpose: str, caller: str) -> dict[str, Any] | None:
        """A client's cursor, refused unless it was made by this very search (same index, same prefix) for this
        caller."""
        start = decode_cursor(cursor, {"tutorEmail", shard, "nameKey"}, purpose, caller=caller)
        plain = from_item(start) or {}
        if start and (plain.get(shard) != SEARCH_SHARD or not str(plain.get("nameKey", "")).startswith(prefix)):
            raise Invalid("The page cursor belongs to another search; start from the first page.", "INVALID_CURSOR")
        return start

    def _tutors_found(self, items: list[dict[str, Any]], prefix: str) -> list[Tutor]:
        """Tutors in the order of their matching keys; a WORD item counts only if it is the tutor's first
        matching key, and its tutor is read from the tutor item."""
        emails: list[str] = []
        tutors: dict[str, Tutor] = {}
        for item in items:
            if not item.get("wordOf"):
                emails.append(item["tutorEmail"])
                tutors[item["tutorEmail"]] = _tutor(item)
                continue
            position = int(item["tutorEmail"].rsplit("#", 1)[1])
            if finding_key(item["name"], item["wordOf"], prefix) == position:
                emails.append(item["wordOf"])
        tutors.update(self._tutors([e for e in emails if e not in tutors]))
        return [tutors[e] for e in emails if e in tutors]

    def _tutors(self, emails: list[str]) -> dict[str, Tutor]:
        if not emails:
            return {}
        # A page is at most 100 items, the BatchGetItem limit; unprocessed keys are asked for again.
        wanted: dict[str, Any] = {self._table: {"Keys": [tutor_key(e) for e in emails], "ConsistentRead": True}}
        found: dict[str, Tutor] = {}
        while wanted:
            answer = self._db.batch_get_item(RequestItems=wanted)
            for item in answer.get("Responses", {}).get(self._table, []):
                tutor = _tutor(from_item(item))
                found[tutor.email] = tutor
            wanted = answer.get("UnprocessedKeys") or {}
        return found


class DynamoStudents:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def get(self, email: str) -> Student | None:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=student_key(email), ConsistentRead=True).get("Item")
        )
        if item is None:
            return None
        return Student(
            email=email,
            name=item.get("name", ""),
            tutor_email=item.get("activeTutor"),
            room=item.get("room"),
            is_learning=bool(item.get("isLearning", False)),
            status_updated_at=item.get("statusUpdatedAt"),
            handle=item.get("studentHandle"),
        )

    def project_profile(self, email: str, name: str, handle: str | None, occurred_at: str) -> None:
        update = Expression(
            sets={
                "email": email,
                "name": name,
                "profileAt": occurred_at,
                **({"studentHandle": handle} if handle else {}),
            },
            condition="attribute_not_exists(#profileAt) OR #profileAt < :at",
            values={":at": occurred_at},
        )
        try:
            self._db.update_item(TableName=self._table, Key=student_key(email), **update.arguments())
        except ClientError as error:
            if not is_condition_failure(error):
                raise  # else: an older or redelivered event, already superseded

    def record_status(self, email: str, room: str, is_learning: bool, at: str) -> None:
        update = Expression(sets={"email": email, "room": room, "isLearning": is_learning, "statusUpdatedAt": at})
        self._db.update_item(TableName=self._table, Key=student_key(email), **update.arguments())
