"""The restore drill (docs/recovery.md) against the emulator: back up, wipe, restore, every row back."""

import sys
import uuid
from pathlib import Path

import pytest
from support.emulator import Emulator

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from restore_drill import all_items, drill, main


@pytest.fixture(scope="module")
def aws():
    with Emulator() as emulator:
        yield emulator


def _seed(dynamodb, table, count):
    for n in range(count):
        item = {
            "email": {"S": f"user-{n}-{uuid.uuid4().hex[:6]}@example.com"},
            "name": {"S": f"학생 {n}"},
            "role": {"S": "student" if n % 3 else "tutor"},
            "birthYear": {"N": str(1990 + n % 30)},
            "tags": {"L": [{"S": "a"}, {"N": str(n)}]},
        }
        dynamodb.put_item(TableName=table, Item=item)


def test_every_row_comes_back_after_the_table_is_wiped(aws):
    dynamodb, table = aws.client("dynamodb"), aws.settings.name("users")
    _seed(dynamodb, table, 250)
    before = all_items(dynamodb, table)

    result = drill(dynamodb, table)

    assert result.ok and result.items == 250
    print("restore drill, 250 items:", ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items()))
    after = all_items(dynamodb, table)
    key = lambda item: item["email"]["S"]  # noqa: E731
    assert sorted(after, key=key) == sorted(before, key=key)
    description = dynamodb.describe_table(TableName=table)["Table"]
    assert [k["AttributeName"] for k in description["KeySchema"]] == ["email"]


def test_the_drill_refuses_prod_and_reports_success(aws, capsys):
    with pytest.raises(SystemExit):
        main(["--table", "speaktracker-prod-users"])
    table = aws.settings.name("verification-codes")
    aws.client("dynamodb").put_item(TableName=table, Item={"email": {"S": "a@example.com"}, "purpose": {"S": "x"}})
    assert main(["--endpoint", aws.endpoint, "--table", table]) == 0
    assert "1 items" in capsys.readouterr().out
