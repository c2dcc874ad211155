"""The restore drill of docs/recovery.md, runnable offline against the emulator (or a stage that is not prod).

For one table: read every item, take an on-demand backup (step 4's ``create-backup``), wipe the table by
deleting it, restore it under its own name from the backup (``restore-table-from-backup``), and compare the
full item sets before and after. Prints the times of each step and exits 1 when a row is missing or changed.

    python scripts/restore_drill.py --endpoint http://127.0.0.1:4566 --table speaktracker-dev-users
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from typing import Any

import boto3


@dataclass(frozen=True)
class DrillResult:
    table: str
    items: int
    missing: list[dict[str, Any]]
    changed_or_new: list[dict[str, Any]]
    seconds: dict[str, float]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.changed_or_new


def all_items(dynamodb: Any, table: str) -> list[dict[str, Any]]:
    """Every item (a drill may scan: it reads the whole table on purpose)."""
    pages = dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True)
    return [item for page in pages for item in page["Items"]]


def _wait(dynamodb: Any, table: str, waiter: str) -> None:
    dynamodb.get_waiter(waiter).wait(TableName=table, WaiterConfig={"Delay": 1, "MaxAttempts": 600})


def drill(dynamodb: Any, table: str) -> DrillResult:
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    before = all_items(dynamodb, table)
    backup = dynamodb.create_backup(TableName=table, BackupName=f"drill-{int(time.time())}")
    arn = backup["BackupDetails"]["BackupArn"]
    seconds["backup"] = time.perf_counter() - start

    mark = time.perf_counter()
    dynamodb.delete_table(TableName=table)
    _wait(dynamodb, table, "table_not_exists")
    seconds["wipe"] = time.perf_counter() - mark

    mark = time.perf_counter()
    dynamodb.restore_table_from_backup(TargetTableName=table, BackupArn=arn)
    _wait(dynamodb, table, "table_exists")
    after = all_items(dynamodb, table)
    seconds["restore"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - start
    dynamodb.delete_backup(BackupArn=arn)

    canonical = lambda items: {json.dumps(i, sort_keys=True) for i in items}  # noqa: E731
    old, new = canonical(before), canonical(after)
    return DrillResult(
        table,
        len(before),
        [json.loads(i) for i in sorted(old - new)],
        [json.loads(i) for i in sorted(new - old)],
        seconds,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", help="the emulator's endpoint; omit for AWS (never prod)")
    parser.add_argument("--region", default="ap-northeast-2")
    parser.add_argument("--table", required=True, action="append", help="a physical table name (repeatable)")
    args = parser.parse_args(argv)
    if any("-prod-" in t for t in args.table):
        parser.error("the drill deletes the table: run it in a stage that is not prod")
    dynamodb = boto3.client("dynamodb", region_name=args.region, endpoint_url=args.endpoint)
    failed = False
    for table in args.table:
        result = drill(dynamodb, table)
        times = ", ".join(f"{step} {value:.2f} s" for step, value in result.seconds.items())
        print(
            f"{table}: {result.items} items; {times}; "
            f"missing {len(result.missing)}, changed {len(result.changed_or_new)}"
        )
        failed |= not result.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
