"""Match requests and tutor-student links.

``tutor-requests`` holds the requests, plus a ``PAIR#student#tutor`` guard item that exists exactly while
the pair has a pending request (it has no index attributes, so no index lists it). ``tutor-students`` holds
the active links, keyed tutorEmail + studentEmail. Approving and ending a link are single transactions over
the request, its guard, the link, the student's one-tutor guard and the tutor's capacity. Every one of these
writes also puts the event announcing it into the outbox (see ``outbox.py``).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import decode_cursor, encode_cursor, from_item, is_condition_failure, query_pages, to_item
from speaktracker.errors import Conflict, DomainError, Invalid, NotFound
from speaktracker.events import TutorMatch

from ..domain import MatchRequest, RequestStatus, Tutor, TutorStudentLink, pair_guard_id, tutor_email_status
from ..ports import Page, TutorChanged
from .outbox import outbox_item
from .tutors import move_capacity, student_key, tutor_key
from .writes import Expression, Transaction


def _not_pending() -> DomainError:
    return Conflict("This request has already been decided or cancelled.", "REQUEST_NOT_PENDING")


def _has_tutor() -> DomainError:
    return Conflict("The student already has a tutor.", "ALREADY_HAS_TUTOR")


def _checked_cursor(
    cursor: str | None, key_names: set[str], purpose: str, partition: tuple[str, str], caller: str
) -> dict[str, Any] | None:
    """A client's cursor, refused unless it belongs to this very list and was made for this caller."""
    start = decode_cursor(cursor, key_names, purpose, owner=partition[1], caller=caller)
    if start is not None and (from_item(start) or {}).get(partition[0]) != partition[1]:
        raise Invalid("The page cursor belongs to another list; start from the first page.", "INVALID_CURSOR")
    return start


_REQUEST_FIELDS = {
    "request_id": "requestId",
    "student_email": "studentEmail",
    "tutor_email": "tutorEmail",
    "status": "status",
    "message": "message",
    "created_at": "createdAt",
    "student_name": "studentName",
    "tutor_name": "tutorName",
    "reason": "reason",
    "processed_at": "processedAt",
    "student_handle": "studentHandle",
}


def _request(item: dict[str, Any]) -> MatchRequest:
    return MatchRequest(**{field: item[attr] for field, attr in _REQUEST_FIELDS.items() if attr in item})


def _decision(before: MatchRequest, after: MatchRequest) -> Expression:
    return Expression(
        sets={
            "status": after.status,
            "tutorEmailStatus": after.tutor_email_status,
            "processedAt": after.processed_at,
            **({"reason": after.reason} if after.reason else {}),
        },
        condition="#status = :pending AND #tutorEmail = :tutor AND #studentEmail = :student",
        values={":pending": "PENDING", ":tutor": before.tutor_email, ":student": before.student_email},
    )


class DynamoRequests:
    def __init__(self, client: Any, requests_table: str, tutors_table: str) -> None:
        self._db, self._table, self._tutors = client, requests_table, tutors_table

    def get(self, request_id: str) -> MatchRequest | None:
        item = from_item(
            self._db.get_item(TableName=self._table, Key=to_item({"requestId": request_id}), ConsistentRead=True).get(
                "Item"
            )
        )
        return _request(item) if item and "status" in item else None  # a PAIR# guard is not a request

    def add(self, request: MatchRequest, tutor: Tutor, event: TutorMatch) -> None:
        guard = pair_guard_id(request.student_email, request.tutor_email)
        item = {attr: getattr(request, field) for field, attr in _REQUEST_FIELDS.items()}
        (
            Transaction(self._db)
            .put(
                self._table,
                {**item, "tutorEmailStatus": request.tutor_email_status},
                "attribute_not_exists(requestId)",
                lambda: Conflict("Try again: that request id is taken.", "REQUEST_ID_TAKEN"),
            )
            .put(
                self._table,
                {"requestId": guard, "pendingRequestId": request.request_id},
                "attribute_not_exists(requestId)",
                lambda: Conflict("You already have a pending request to this tutor.", "REQUEST_ALREADY_PENDING"),
            )
            .check(
                self._tutors,
                tutor_key(tutor.email),
                Expression(condition="#isAccepting = :yes AND #studentCount < #maxStudents", values={":yes": True}),
                TutorChanged,
            )
            .check(
                self._tutors,
                student_key(request.student_email),
                Expression(condition="attribute_not_exists(#activeTutor)"),
                _has_tutor,
            )
            .put(self._table, outbox_item(event))
            .commit(ranking=[1, 3, 2, 0])
        )

    def close(self, before: MatchRequest, after: MatchRequest, event: TutorMatch) -> None:
        (
            Transaction(self._db)
            .update(self._table, to_item({"requestId": before.request_id}), _decision(before, after), _not_pending)
            .delete(self._table, to_item({"requestId": pair_guard_id(before.student_email, before.tutor_email)}))
            .put(self._table, outbox_item(event))
            .commit()
        )

    def of_tutor(
        self, tutor_email: str, status: RequestStatus, cursor: str | None, limit: int, caller: str
    ) -> Page[MatchRequest]:
        partition = tutor_email_status(tutor_email, status)
        oldest_first = status == "PENDING"
        return self._page("tutorEmailStatus-index", "tutorEmailStatus", partition, cursor, limit, oldest_first, caller)

    def of_student(self, student_email: str, cursor: str | None, limit: int, caller: str) -> Page[MatchRequest]:
        return self._page("studentEmail-index", "studentEmail", student_email, cursor, limit, False, caller)

    def _page(
        self, index: str, attribute: str, value: str, cursor: str | None, limit: int, oldest_first: bool, caller: str
    ) -> Page[MatchRequest]:
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": "#k = :v",
            "ExpressionAttributeNames": {"#k": attribute},
            "ExpressionAttributeValues": {":v": {"S": value}},
            "Limit": limit,
            "ScanIndexForward": oldest_first,
        }
        purpose = f"{self._table}#{index}"
        start = _checked_cursor(cursor, {"requestId", attribute, "createdAt"}, purpose, (attribute, value), caller)
        if start:
            arguments["ExclusiveStartKey"] = start
        page = self._db.query(**arguments)
        return Page(
            [_request(from_item(i)) for i in page.get("Items", [])],
            encode_cursor(page.get("LastEvaluatedKey"), purpose, owner=value, caller=caller),
        )


# --- links --------------------------------------------------------------------------------------
_LINK_FIELDS = {
    "tutor_email": "tutorEmail",
    "student_email": "studentEmail",
    "assigned_at": "assignedAt",
    "request_id": "requestId",
    "student_name": "studentName",
    "room": "room",
    "is_learning": "isLearning",
    "status_updated_at": "statusUpdatedAt",
    "student_handle": "studentHandle",
}


def _link(item: dict[str, Any]) -> TutorStudentLink:
    return TutorStudentLink(**{field: item[attr] for field, attr in _LINK_FIELDS.items() if attr in item})


class DynamoLinks:
    def __init__(self, client: Any, links_table: str, requests_table: str, tutors_table: str) -> None:
        self._db, self._table = client, links_table
        self._requests, self._tutors = requests_table, tutors_table

    def approve(
        self,
        before: MatchRequest,
        after: MatchRequest,
        tutor_before: Tutor,
        tutor_after: Tutor,
        link: TutorStudentLink,
        event: TutorMatch,
    ) -> None:
        item = {attr: getattr(link, field) for field, attr in _LINK_FIELDS.items()}
        transaction = (
            Transaction(self._db)
            .update(self._requests, to_item({"requestId": before.request_id}), _decision(before, after), _not_pending)
            .delete(self._requests, to_item({"requestId": pair_guard_id(before.student_email, before.tutor_email)}))
            .put(self._table, {**item, "status": "active"}, "attribute_not_exists(studentEmail)", _has_tutor)
            .update(
                self._tutors,
                student_key(link.student_email),
                Expression(
                    sets={"email": link.student_email, "activeTutor": link.tutor_email},
                    condition="attribute_not_exists(#activeTutor)",
                ),
                _has_tutor,
            )
        )
        move_capacity(transaction, self._tutors, tutor_before, tutor_after, adding=True)
        transaction.put(self._requests, outbox_item(event)).commit(ranking=[0, 3, 2, 4])

    def end(self, link: TutorStudentLink, tutor_before: Tutor, tutor_after: Tutor, event: TutorMatch) -> None:
        def ended() -> DomainError:
            return NotFound("This tutor-student link has already ended.", "LINK_NOT_FOUND")

        transaction = (
            Transaction(self._db)
            .delete(
                self._table,
                to_item({"tutorEmail": link.tutor_email, "studentEmail": link.student_email}),
                Expression(condition="attribute_exists(#studentEmail)"),
                ended,
            )
            .update(
                self._tutors,
                student_key(link.student_email),
                Expression(
                    removes=("activeTutor",), condition="#activeTutor = :tutor", values={":tutor": link.tutor_email}
                ),
                ended,
            )
        )
        (
            move_capacity(transaction, self._tutors, tutor_before, tutor_after)
            .put(self._requests, outbox_item(event))
            .commit(ranking=[0, 1, 2])
        )

    def get(self, tutor_email: str, student_email: str) -> TutorStudentLink | None:
        item = from_item(
            self._db.get_item(
                TableName=self._table,
                Key=to_item({"tutorEmail": tutor_email, "studentEmail": student_email}),
                ConsistentRead=True,
            ).get("Item")
        )
        return _link(item) if item else None

    def of_tutor(self, tutor_email: str) -> list[TutorStudentLink]:
        # At most MAX_STUDENTS_LIMIT links per tutor: one short query, read to the end.
        return [
            _link(i)
            for i in query_pages(
                self._db,
                TableName=self._table,
                KeyConditionExpression="tutorEmail = :t",
                ExpressionAttributeValues={":t": {"S": tutor_email}},
                ConsistentRead=True,
            )
        ]

    def record_status(self, link: TutorStudentLink, room: str, is_learning: bool, at: str) -> bool:
        update = Expression(
            sets={"room": room, "isLearning": is_learning, "statusUpdatedAt": at},
            condition="attribute_exists(#studentEmail)",
        )
        try:
            self._db.update_item(
                TableName=self._table,
                Key=to_item({"tutorEmail": link.tutor_email, "studentEmail": link.student_email}),
                **update.arguments(),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True
