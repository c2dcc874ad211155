"""The dev stack's analytics sink: partitioned files, idempotent by event id, partial batch failures."""

import json

from speaktracker.events import UserRegistered
from speaktracker.privacy import Pseudonyms, platform_pseudonyms
from speaktracker_dev.analytics_sink import LocalEventArchive, archive_handler, pseudonyms_of
from speaktracker_dev.platform_secret import stack_platform_secret


def record(message_id, body):
    return {"messageId": message_id, "body": body}


def test_a_batch_is_archived_by_type_and_day_and_bad_messages_fail_alone(tmp_path):
    joined = UserRegistered(
        email="kim@example.com", name="Kim", role="student", occurredAt="2026-12-01T23:59:00Z"
    ).to_json()
    future = json.dumps({"type": "badge_earned", "eventId": "e-9", "occurredAt": "2026-12-02T00:00:00Z"})
    pseudonyms = Pseudonyms(bytes(range(32)))
    handle = archive_handler(LocalEventArchive(tmp_path, pseudonyms))
    answer = handle(
        {
            "Records": [
                record("m1", joined),
                record("m2", "not json"),
                record("m3", future),
                record("m4", json.dumps({"type": "x"})),
                record("m5", joined),
            ]
        }
    )
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m4"}]}
    kept = tmp_path / "events/type=user_registered/dt=2026-12-01/events.json"
    (line,) = kept.read_text().splitlines()
    assert json.loads(line)["email"] == pseudonyms.of("Kim@Example.com") != pseudonyms.of("lee@example.com")
    assert "kim@" not in line.lower() and "Kim" not in line and "name" not in json.loads(line)
    assert (tmp_path / "events/type=badge_earned/dt=2026-12-02/events.json").exists()  # unknown types kept too


def test_the_dev_stacks_key_is_made_once_private_and_kept(tmp_path):
    first = pseudonyms_of(tmp_path)
    assert (tmp_path / "platform.secret").stat().st_mode & 0o077 == 0
    assert pseudonyms_of(tmp_path).of("kim@example.com") == first.of("kim@example.com")
    assert pseudonyms_of(tmp_path / "other").of("kim@example.com") != first.of("kim@example.com")


def test_the_pseudonym_key_is_the_platform_secrets_analytics_subkey_not_the_secret(tmp_path):
    secret = stack_platform_secret(tmp_path)
    assert pseudonyms_of(tmp_path).of("kim@example.com") == platform_pseudonyms(secret).of("kim@example.com")
    assert pseudonyms_of(tmp_path).of("kim@example.com") != Pseudonyms(secret.encode()).of("kim@example.com")
