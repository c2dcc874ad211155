"""Matching's three tables in DynamoDB.

``tutors``          one item per tutor (key: the email) carrying the search keys: ``tutorShard`` always and
                    ``openShard`` only while the tutor accepts and has a free seat, so ``open-name-index`` is
                    sparse and searching it needs no filter; ``nameKey`` is "normalised name#email".
                    One item per student under ``STUDENT#email`` (no index attributes): the name, the live
                    state, and ``activeTutor``, the guard that keeps a student to one tutor (a transaction
                    cannot condition on a GSI, so it conditions on this item).
``tutor-requests``  the requests, plus a ``PAIR#student#tutor`` guard item that exists while the pair has a
                    pending request (it has no index attributes, so no index ever lists it).
``tutor-students``  the active links, keyed tutorEmail + studentEmail.

Every write that can race is conditional; a TransactWriteItems cancellation is turned into the error of the
first item, in the order the caller ranks them, whose condition failed.
"""

from __future__ import annotations

from typing import Any, Callable

from botocore.exceptions import ClientError
from speaktracker.dynamo import (cancellation_reasons, decode_cursor, encode_cursor, from_item,
                                 is_condition_failure, is_transaction_cancelled, query_pages, to_item)
from speaktracker.errors import Conflict, DomainError, Invalid, NotFound

from ..domain import SEARCH_SHARD, MatchRequest, RequestStatus, Student, Tutor, TutorStudentLink, name_key
from ..domain import pair_guard_id, tutor_email_status
from ..ports import Page, TutorChanged
from .expressions import Expression

STUDENT_PREFIX = "STUDENT#"


def _student_key(email: str) -> dict[str, Any]:
    return to_item({"tutorEmail": f"{STUDENT_PREFIX}{email}"})


def _capacity(before: Tutor, after: Tutor, adding: bool = False, **settings: Any) -> Expression:
    """The tutor's count and open flag move together, and only from the state the decision was made on;
    adding a student also states the rule itself: a tutor has at most maxStudents students."""
    condition = "#revision = :revision" + (" AND #studentCount < #maxStudents" if adding else "")
    return Expression(
        sets={"studentCount": after.student_count, "revision": after.revision, **settings,
              **({"openShard": SEARCH_SHARD} if after.is_open else {})},
        removes=() if after.is_open else ("openShard",),
        condition=condition, values={":revision": before.revision},
    )


class Transaction:
    """TransactWriteItems with each item's condition failure mapped to a domain error."""

    def __init__(self, client: Any) -> None:
        self._db = client
        self._items: list[dict[str, Any]] = []
        self._errors: list[Callable[[], DomainError] | None] = []

    def put(self, table: str, item: dict[str, Any], condition: str | None = None,
            on_failure: Callable[[], DomainError] | None = None) -> "Transaction":
        operation: dict[str, Any] = {"TableName": table, "Item": to_item(item)}
        if condition:
            operation["ConditionExpression"] = condition
        return self._add({"Put": operation}, on_failure)

    def update(self, table: str, key: dict[str, Any], expression: Expression,
               on_failure: Callable[[], DomainError] | None = None) -> "Transaction":
        return self._add({"Update": {"TableName": table, "Key": key, **expression.arguments()}}, on_failure)

    def check(self, table: str, key: dict[str, Any], expression: Expression,
              on_failure: Callable[[], DomainError]) -> "Transaction":
        return self._add({"ConditionCheck": {"TableName": table, "Key": key, **expression.arguments()}},
                         on_failure)

    def delete(self, table: str, key: dict[str, Any], expression: Expression | None = None,
               on_failure: Callable[[], DomainError] | None = None) -> "Transaction":
        arguments = expression.arguments() if expression else {}
        return self._add({"Delete": {"TableName": table, "Key": key, **arguments}}, on_failure)

    def commit(self, ranking: list[int] | None = None) -> None:
        """``ranking``: item positions in the order their failures should be reported."""
        try:
            self._db.transact_write_items(TransactItems=self._items)
        except ClientError as error:
            if not is_transaction_cancelled(error):
                raise
            raise self._error(cancellation_reasons(error), ranking or list(range(len(self._items)))) from error

    def _error(self, reasons: list[str], ranking: list[int]) -> DomainError:
        for position in ranking:
            code = reasons[position] if position < len(reasons) else "None"
            make = self._errors[position]
            if code == "ConditionalCheckFailed" and make is not None:
                return make()
        if "TransactionConflict" in reasons:
            return TutorChanged()  # another transaction held an item: read again and decide again
        return Conflict("Someone changed this at the same moment; try again.", "CONCURRENT_UPDATE",
                        {"reasons": reasons})

    def _add(self, operation: dict[str, Any], on_failure: Callable[[], DomainError] | None) -> "Transaction":
        self._items.append(operation)
        self._errors.append(on_failure)
        return self


def _not_pending() -> DomainError:
    return Conflict("This request has already been decided or cancelled.", "REQUEST_NOT_PENDING")


def _has_tutor() -> DomainError:
    return Conflict("The student already has a tutor.", "ALREADY_HAS_TUTOR")


def _checked_cursor(cursor: str | None, key_names: set[str], fixed: dict[str, str],
                    prefix: tuple[str, str] | None = None) -> dict[str, Any] | None:
    """A client's cursor, refused unless it belongs to this very query (same partition, same prefix)."""
    start = decode_cursor(cursor, key_names)
    if start is None:
        return None
    plain = from_item(start) or {}
    fits = all(plain.get(name) == value for name, value in fixed.items())
    if prefix is not None:
        fits = fits and str(plain.get(prefix[0], "")).startswith(prefix[1])
    if not fits:
        raise Invalid("The page cursor belongs to another search; start from the first page.", "INVALID_CURSOR")
    return start


# --- tutors and students ------------------------------------------------------------------------
class DynamoTutors:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def get(self, email: str) -> Tutor | None:
        item = from_item(self._db.get_item(TableName=self._table, Key=to_item({"tutorEmail": email}),
                                           ConsistentRead=True).get("Item"))
        return _tutor(item) if item and item.get("tutorShard") else None

    def search(self, prefix: str, open_only: bool, cursor: str | None, limit: int) -> Page[Tutor]:
        index, shard = ("open-name-index", "openShard") if open_only else ("all-name-index", "tutorShard")
        condition = "#shard = :shard" + (" AND begins_with(nameKey, :prefix)" if prefix else "")
        values = {":shard": {"S": SEARCH_SHARD}, **({":prefix": {"S": prefix}} if prefix else {})}
        arguments: dict[str, Any] = {
            "TableName": self._table, "IndexName": index, "KeyConditionExpression": condition,
            "ExpressionAttributeNames": {"#shard": shard}, "ExpressionAttributeValues": values, "Limit": limit,
        }
        start = _checked_cursor(cursor, {"tutorEmail", shard, "nameKey"}, {shard: SEARCH_SHARD},
                                ("nameKey", prefix))
        if start:
            arguments["ExclusiveStartKey"] = start
        page = self._db.query(**arguments)
        return Page([_tutor(from_item(i)) for i in page.get("Items", [])], encode_cursor(page.get("LastEvaluatedKey")))

    def save_settings(self, before: Tutor, after: Tutor) -> None:
        try:
            settings = {"isAccepting": after.is_accepting, "maxStudents": after.max_students,
                        **({"intro": after.intro} if after.intro != before.intro else {})}
            self._db.update_item(TableName=self._table, Key=to_item({"tutorEmail": before.email}),
                                 **_capacity(before, after, **settings).arguments())
        except ClientError as error:
            if is_condition_failure(error):
                raise TutorChanged() from error
            raise

    def project_profile(self, email: str, name: str, intro: str | None, occurred_at: str) -> None:
        new = Tutor(email=email, name=name, intro=intro or "")
        try:
            self._db.put_item(TableName=self._table, Item=to_item({
                **_tutor_attributes(new), "profileAt": occurred_at}),
                ConditionExpression="attribute_not_exists(tutorEmail)")
            return
        except ClientError as error:
            if not is_condition_failure(error):
                raise
        renamed = Expression(
            sets={"name": name, "nameKey": name_key(name, email), "profileAt": occurred_at,
                  **({"intro": intro} if intro is not None else {})},
            condition="#profileAt < :at", values={":at": occurred_at})
        try:
            self._db.update_item(TableName=self._table, Key=to_item({"tutorEmail": email}), **renamed.arguments())
        except ClientError as error:
            if not is_condition_failure(error):
                raise  # else: an older or redelivered event, already superseded


def _tutor_attributes(tutor: Tutor) -> dict[str, Any]:
    return {
        "tutorEmail": tutor.email, "name": tutor.name, "nameKey": name_key(tutor.name, tutor.email),
        "intro": tutor.intro, "isAccepting": tutor.is_accepting, "maxStudents": tutor.max_students,
        "studentCount": tutor.student_count, "revision": tutor.revision, "tutorShard": SEARCH_SHARD,
        "openShard": SEARCH_SHARD if tutor.is_open else None,
    }


def _tutor(item: dict[str, Any]) -> Tutor:
    return Tutor(email=item["tutorEmail"], name=item.get("name", ""), intro=item.get("intro", ""),
                 is_accepting=bool(item.get("isAccepting", False)), max_students=int(item.get("maxStudents", 0)),
                 student_count=int(item.get("studentCount", 0)), revision=int(item.get("revision", 0)))


class DynamoStudents:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def get(self, email: str) -> Student | None:
        item = from_item(self._db.get_item(TableName=self._table, Key=_student_key(email),
                                           ConsistentRead=True).get("Item"))
        if item is None:
            return None
        return Student(email=email, name=item.get("name", ""), tutor_email=item.get("activeTutor"),
                       room=item.get("room"), is_learning=bool(item.get("isLearning", False)),
                       status_updated_at=item.get("statusUpdatedAt"))

    def project_profile(self, email: str, name: str, occurred_at: str) -> None:
        update = Expression(sets={"email": email, "name": name, "profileAt": occurred_at},
                            condition="attribute_not_exists(#profileAt) OR #profileAt < :at",
                            values={":at": occurred_at})
        try:
            self._db.update_item(TableName=self._table, Key=_student_key(email), **update.arguments())
        except ClientError as error:
            if not is_condition_failure(error):
                raise

    def record_status(self, email: str, room: str, is_learning: bool, at: str) -> None:
        update = Expression(sets={"email": email, "room": room, "isLearning": is_learning, "statusUpdatedAt": at})
        self._db.update_item(TableName=self._table, Key=_student_key(email), **update.arguments())


# --- requests -----------------------------------------------------------------------------------
_REQUEST_FIELDS = {
    "request_id": "requestId", "student_email": "studentEmail", "tutor_email": "tutorEmail", "status": "status",
    "message": "message", "created_at": "createdAt", "student_name": "studentName", "tutor_name": "tutorName",
    "reason": "reason", "processed_at": "processedAt",
}


def _request(item: dict[str, Any]) -> MatchRequest:
    return MatchRequest(**{field: item[attr] for field, attr in _REQUEST_FIELDS.items() if attr in item})


def _decision(before: MatchRequest, after: MatchRequest) -> Expression:
    return Expression(
        sets={"status": after.status, "tutorEmailStatus": after.tutor_email_status,
              "processedAt": after.processed_at, **({"reason": after.reason} if after.reason else {})},
        condition="#status = :pending AND #tutorEmail = :tutor AND #studentEmail = :student",
        values={":pending": "PENDING", ":tutor": before.tutor_email, ":student": before.student_email})


class DynamoRequests:
    def __init__(self, client: Any, requests_table: str, tutors_table: str) -> None:
        self._db, self._table, self._tutors = client, requests_table, tutors_table

    def get(self, request_id: str) -> MatchRequest | None:
        item = from_item(self._db.get_item(TableName=self._table, Key=to_item({"requestId": request_id}),
                                           ConsistentRead=True).get("Item"))
        return _request(item) if item and "status" in item else None  # a PAIR# guard is not a request

    def add(self, request: MatchRequest, tutor: Tutor) -> None:
        guard = pair_guard_id(request.student_email, request.tutor_email)
        item = {attr: getattr(request, field) for field, attr in _REQUEST_FIELDS.items()}
        (Transaction(self._db)
         .put(self._table, {**item, "tutorEmailStatus": request.tutor_email_status},
              "attribute_not_exists(requestId)",
              lambda: Conflict("Try again: that request id is taken.", "REQUEST_ID_TAKEN"))
         .put(self._table, {"requestId": guard, "pendingRequestId": request.request_id},
              "attribute_not_exists(requestId)",
              lambda: Conflict("You already have a pending request to this tutor.", "REQUEST_ALREADY_PENDING"))
         .check(self._tutors, to_item({"tutorEmail": tutor.email}),
                Expression(condition="#isAccepting = :yes AND #studentCount < #maxStudents", values={":yes": True}),
                TutorChanged)
         .check(self._tutors, _student_key(request.student_email),
                Expression(condition="attribute_not_exists(#activeTutor)"), _has_tutor)
         .commit(ranking=[1, 3, 2, 0]))

    def close(self, before: MatchRequest, after: MatchRequest) -> None:
        (Transaction(self._db)
         .update(self._table, to_item({"requestId": before.request_id}), _decision(before, after), _not_pending)
         .delete(self._table, to_item({"requestId": pair_guard_id(before.student_email, before.tutor_email)}))
         .commit())

    def of_tutor(self, tutor_email: str, status: RequestStatus, cursor: str | None,
                 limit: int) -> Page[MatchRequest]:
        partition = tutor_email_status(tutor_email, status)
        return self._page("tutorEmailStatus-index", "tutorEmailStatus", partition, cursor, limit,
                          oldest_first=status == "PENDING")

    def of_student(self, student_email: str, cursor: str | None, limit: int) -> Page[MatchRequest]:
        return self._page("studentEmail-index", "studentEmail", student_email, cursor, limit, oldest_first=False)

    def _page(self, index: str, attribute: str, value: str, cursor: str | None, limit: int,
              oldest_first: bool) -> Page[MatchRequest]:
        arguments: dict[str, Any] = {
            "TableName": self._table, "IndexName": index, "KeyConditionExpression": "#k = :v",
            "ExpressionAttributeNames": {"#k": attribute}, "ExpressionAttributeValues": {":v": {"S": value}},
            "Limit": limit, "ScanIndexForward": oldest_first,
        }
        start = _checked_cursor(cursor, {"requestId", attribute, "createdAt"}, {attribute: value})
        if start:
            arguments["ExclusiveStartKey"] = start
        page = self._db.query(**arguments)
        return Page([_request(from_item(i)) for i in page.get("Items", [])],
                    encode_cursor(page.get("LastEvaluatedKey")))


# --- links --------------------------------------------------------------------------------------
_LINK_FIELDS = {
    "tutor_email": "tutorEmail", "student_email": "studentEmail", "assigned_at": "assignedAt",
    "request_id": "requestId", "student_name": "studentName", "room": "room", "is_learning": "isLearning",
    "status_updated_at": "statusUpdatedAt",
}


def _link(item: dict[str, Any]) -> TutorStudentLink:
    return TutorStudentLink(**{field: item[attr] for field, attr in _LINK_FIELDS.items() if attr in item})


class DynamoLinks:
    def __init__(self, client: Any, links_table: str, requests_table: str, tutors_table: str) -> None:
        self._db, self._table = client, links_table
        self._requests, self._tutors = requests_table, tutors_table

    def approve(self, before: MatchRequest, after: MatchRequest, tutor_before: Tutor, tutor_after: Tutor,
                link: TutorStudentLink) -> None:
        item = {attr: getattr(link, field) for field, attr in _LINK_FIELDS.items()}
        (Transaction(self._db)
         .update(self._requests, to_item({"requestId": before.request_id}), _decision(before, after), _not_pending)
         .delete(self._requests, to_item({"requestId": pair_guard_id(before.student_email, before.tutor_email)}))
         .update(self._tutors, to_item({"tutorEmail": tutor_before.email}),
                 _capacity(tutor_before, tutor_after, adding=True), TutorChanged)
         .put(self._table, {**item, "status": "active"}, "attribute_not_exists(studentEmail)", _has_tutor)
         .update(self._tutors, _student_key(link.student_email),
                 Expression(sets={"email": link.student_email, "activeTutor": link.tutor_email},
                            condition="attribute_not_exists(#activeTutor)"), _has_tutor)
         .commit(ranking=[0, 4, 3, 2]))

    def end(self, link: TutorStudentLink, tutor_before: Tutor, tutor_after: Tutor) -> None:
        def ended() -> DomainError:
            return NotFound("This tutor-student link has already ended.", "LINK_NOT_FOUND")

        (Transaction(self._db)
         .delete(self._table, to_item({"tutorEmail": link.tutor_email, "studentEmail": link.student_email}),
                 Expression(condition="attribute_exists(#studentEmail)"), ended)
         .update(self._tutors, to_item({"tutorEmail": tutor_before.email}), _capacity(tutor_before, tutor_after),
                 TutorChanged)
         .update(self._tutors, _student_key(link.student_email),
                 Expression(removes=("activeTutor",), condition="#activeTutor = :tutor",
                            values={":tutor": link.tutor_email}), ended)
         .commit(ranking=[0, 2, 1]))

    def get(self, tutor_email: str, student_email: str) -> TutorStudentLink | None:
        item = from_item(self._db.get_item(
            TableName=self._table, Key=to_item({"tutorEmail": tutor_email, "studentEmail": student_email}),
            ConsistentRead=True).get("Item"))
        return _link(item) if item else None

    def of_tutor(self, tutor_email: str) -> list[TutorStudentLink]:
        # At most MAX_STUDENTS_LIMIT links per tutor: one short query, read to the end.
        return [_link(i) for i in query_pages(
            self._db, TableName=self._table, KeyConditionExpression="tutorEmail = :t",
            ExpressionAttributeValues={":t": {"S": tutor_email}}, ConsistentRead=True)]

    def record_status(self, link: TutorStudentLink, room: str, is_learning: bool, at: str) -> bool:
        update = Expression(sets={"room": room, "isLearning": is_learning, "statusUpdatedAt": at},
                            condition="attribute_exists(#studentEmail)")
        try:
            self._db.update_item(TableName=self._table,
                                 Key=to_item({"tutorEmail": link.tutor_email, "studentEmail": link.student_email}),
                                 **update.arguments())
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True
