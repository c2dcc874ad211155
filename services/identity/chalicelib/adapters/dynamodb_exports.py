"""Data exports in the data-exports table: one item per export, plus an ACTIVE guard item per user.

    email            exportId                 what
    a@example.com    1764627000-3f9c...       an export: status, deadline, the parts (a string set), files
    a@example.com    ACTIVE                   the export running now (activeExportId, deadline)

Starting an export writes the guard and the export in one transaction; the guard's condition lets a new
export in only when none runs or the running one is past its deadline. Parts are added to a set, so a
redelivered part counts once.

An export that the sweep must still close carries ``sweepState`` (its status) and ``sweepAt`` (when): the sparse
``sweep-index`` lists exactly those, so the sweep queries what is due instead of scanning every user's.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError
from speaktracker.dynamo import from_item, is_condition_failure, is_transaction_cancelled, to_item, to_values
from speaktracker.errors import Conflict

from ..exports import DataExport

ACTIVE = "ACTIVE"
SWEEP_INDEX = "sweep-index"


class DynamoExportRepository:
    def __init__(self, client: Any, table: str) -> None:
        self._db, self._table = client, table

    def start(self, export: DataExport) -> None:
        item = {
            "email": export.email,
            "exportId": export.export_id,
            "status": export.status,
            "requestedAt": export.requested_at,
            "deadline": export.deadline,
            **_sweep(export),
        }
        guard = {
            "email": export.email,
            "exportId": ACTIVE,
            "activeExportId": export.export_id,
            "deadline": export.deadline,
        }
        try:
            self._db.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": to_item(guard),
                            "ConditionExpression": "attribute_not_exists(exportId) OR deadline < :now",
                            "ExpressionAttributeValues": to_values({":now": export.requested_at}),
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": to_item(item),
                            "ConditionExpression": "attribute_not_exists(exportId)",
                        }
                    },
                ]
            )
        except ClientError as error:
            if is_transaction_cancelled(error):
                raise Conflict(
                    "An export of your data is already being made; wait for it to finish.", "EXPORT_IN_PROGRESS"
                ) from error
            raise

    def get(self, email: str, export_id: str) -> DataExport | None:
        if export_id == ACTIVE:
            return None
        item = self._db.get_item(TableName=self._table, Key=self._key(email, export_id), ConsistentRead=True)
        return _export(from_item(item.get("Item")))

    def recent(self, email: str, limit: int) -> list[DataExport]:
        result = self._db.query(
            TableName=self._table,
            KeyConditionExpression="email = :e AND exportId < :guard",  # digits sort before "ACTIVE"
            ExpressionAttributeValues=to_values({":e": email, ":guard": ACTIVE}),
            ScanIndexForward=False,
            Limit=limit,
            ConsistentRead=True,
        )
        return [_export(from_item(item)) for item in result.get("Items", [])]

    def add_part(self, export: DataExport, context: str, files: list[dict]) -> DataExport | None:
        # The files of each context go in an attribute of their own, so parts arriving together never
        # overwrite one another's.
        try:
            result = self._db.update_item(
                TableName=self._table,
                Key=self._key(export.email, export.export_id),
                UpdateExpression="ADD parts :part SET #files = :files",
                ConditionExpression="#status = :running",
                ExpressionAttributeNames={"#status": "status", "#files": f"files_{context}"},
                ExpressionAttributeValues=to_values(
                    {":part": {context}, ":files": json.dumps(files), ":running": "RUNNING"}
                ),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if is_condition_failure(error):
                return None
            raise
        return _export(from_item(result["Attributes"]))

    def finish(self, export: DataExport, archive_key: str, now: int) -> bool:
        ready = replace(export, status="READY", finished_at=now, archive_key=archive_key)
        return self._close(export, now, "READY", {"archiveKey": archive_key, **_sweep(ready)})

    def fail(self, export: DataExport, reason: str, now: int) -> bool:
        return self._close(export, now, "FAILED", {"reason": reason}, remove=" REMOVE sweepState, sweepAt")

    def expire(self, export: DataExport) -> bool:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=self._key(export.email, export.export_id),
                UpdateExpression="SET #status = :expired REMOVE sweepState, sweepAt",
                ConditionExpression="#status = :ready",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_values({":expired": "EXPIRED", ":ready": "READY"}),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def due(self, status: str, now: int, limit: int) -> list[DataExport]:
        result = self._db.query(
            TableName=self._table,
            IndexName=SWEEP_INDEX,
            KeyConditionExpression="sweepState = :state AND sweepAt < :now",
            ExpressionAttributeValues=to_values({":state": status, ":now": now}),
            Limit=limit,
        )
        return [_export(from_item(item)) for item in result.get("Items", [])]

    def _close(self, export: DataExport, now: int, status: str, extra: dict[str, Any], remove: str = "") -> bool:
        sets = ", ".join(f"#{name} = :{name}" for name in extra)
        try:
            self._db.update_item(
                TableName=self._table,
                Key=self._key(export.email, export.export_id),
                UpdateExpression=f"SET #status = :status, finishedAt = :now, {sets}{remove}",
                ConditionExpression="#status = :running",
                ExpressionAttributeNames={"#status": "status", **{f"#{name}": name for name in extra}},
                ExpressionAttributeValues=to_values(
                    {":status": status, ":now": now, ":running": "RUNNING", **{f":{k}": v for k, v in extra.items()}}
                ),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        self._release(export)
        return True

    def _release(self, export: DataExport) -> None:
        try:
            self._db.delete_item(
                TableName=self._table,
                Key=self._key(export.email, ACTIVE),
                ConditionExpression="activeExportId = :id",
                ExpressionAttributeValues=to_values({":id": export.export_id}),
            )
        except ClientError as error:
            if not is_condition_failure(error):  # a newer export holds the guard: leave it
                raise

    @staticmethod
    def _key(email: str, export_id: str) -> dict[str, Any]:
        return to_item({"email": email, "exportId": export_id})


def _sweep(export: DataExport) -> dict[str, Any]:
    at = export.sweep_at()
    return {} if at is None else {"sweepState": export.status, "sweepAt": at}


def _export(item: dict[str, Any] | None) -> DataExport | None:
    if item is None:
        return None
    files = {k.removeprefix("files_"): json.loads(v) for k, v in item.items() if k.startswith("files_")}
    return DataExport(
        email=item["email"],
        export_id=item["exportId"],
        status=item["status"],
        requested_at=int(item["requestedAt"]),
        deadline=int(item["deadline"]),
        parts=frozenset(item.get("parts", ())),
        files=files,
        archive_key=item.get("archiveKey"),
        finished_at=int(item["finishedAt"]) if item.get("finishedAt") is not None else None,
        reason=item.get("reason"),
    )
