"""The daily warming of the bank's audio (practice's ``warm_bank_audio`` schedule) against the emulator, with the
real offline engine (espeak-ng) and a bank of three sentences."""

import itertools
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from chalice.local import LambdaContext
from speaktracker.dynamo import to_item, to_values


@pytest.fixture
def warming_on(app, monkeypatch):
    import app as practice_app

    monkeypatch.setattr(
        practice_app, "_settings", practice_app._settings.model_copy(update={"sentence_audio_warming": True})
    )
    return practice_app


def run_schedule(practice_app, max_runtime_ms=300_000):
    """As EventBridge and Lambda call it: a scheduled event and a context that knows the function's time left."""
    event = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event", "source": "aws.events"}
    event |= {"account": "000000000000", "time": "2026-12-02T03:00:00Z", "region": "us-east-1", "resources": []}
    practice_app.warm_bank_audio(event | {"detail": {}}, LambdaContext("warm_bank_audio", 1024, max_runtime_ms))


def library(ctx, texts):
    from chalicelib.domain.speech_jobs import DEFAULT_VOICE, audio_id

    return ctx.audio.get_all({audio_id(DEFAULT_VOICE, text) for text in texts})


def age(aws, text, days):
    """Makes the stored audio of ``text`` look ``days`` old."""
    from chalicelib.domain.days import iso_utc
    from chalicelib.domain.speech_jobs import DEFAULT_VOICE, audio_id

    made = datetime.now(UTC) - timedelta(days=days)
    aws.client("dynamodb").update_item(
        TableName=aws.settings.name("sentence-audio"),
        Key=to_item({"audioId": audio_id(DEFAULT_VOICE, text)}),
        UpdateExpression="SET createdAt = :made, #ttl = :ttl",
        ExpressionAttributeNames={"#ttl": "ttl"},
        ExpressionAttributeValues=to_values(
            {":made": iso_utc(made), ":ttl": int((made + timedelta(days=5)).timestamp())}
        ),
    )


def test_the_schedule_does_nothing_where_the_stage_leaves_it_off(app, ctx, small_bank, counting):
    import app as practice_app

    assert practice_app._settings.sentence_audio_warming is False  # the dev stack's and the tests' default
    run_schedule(practice_app)
    assert counting.calls == [] and library(ctx, small_bank) == {}


def test_the_schedule_makes_what_the_library_lacks_once(aws, ctx, small_bank, counting, warming_on):
    run_schedule(warming_on)
    assert sorted(text for text, _voice in counting.calls) == sorted(small_bank)
    stored = library(ctx, small_bank)
    assert len(stored) == 3 and all(a.reusable_at(datetime.now(UTC) + timedelta(days=4)) for a in stored.values())
    s3 = aws.client("s3")
    for audio in stored.values():
        clip = s3.get_object(Bucket=aws.settings.name("user-content"), Key=audio.s3_key)["Body"].read()
        assert clip[:4] == b"RIFF" and len(clip) > 2000
    run_schedule(warming_on)  # the next day, nothing is due
    assert len(counting.calls) == 3


def test_audio_about_to_expire_is_made_again_and_younger_audio_is_kept(aws, ctx, small_bank, counting, warming_on):
    run_schedule(warming_on)
    old, middle, _ = small_bank
    age(aws, old, days=3.5)  # reusable 1.5 more days: within the renewal horizon of two
    age(aws, middle, days=2.5)  # reusable 2.5 more days: kept until a later run
    run_schedule(warming_on)
    assert [text for text, _voice in counting.calls[3:]] == [old]
    by_text = {audio.text: audio for audio in library(ctx, small_bank).values()}
    assert by_text[old].reusable_at(datetime.now(UTC) + timedelta(days=4))
    assert not by_text[middle].reusable_at(datetime.now(UTC) + timedelta(days=3))


def test_a_run_out_of_time_starts_nothing_more_and_the_next_run_resumes(ctx, small_bank, counting, warming_on):
    from chalicelib import service

    run_schedule(warming_on, max_runtime_ms=0)  # the handler's budget is the Lambda's time left
    assert counting.calls == []
    clock = itertools.count(0, 0.4)  # every look at the timer is 0.4 s later
    first = service.warm_sentence_audio(ctx, workers=1, budget=timedelta(seconds=1), timer=lambda: next(clock))
    assert (first.sentences, first.made, first.failed, first.left) == (3, 2, 0, 1)
    second = service.warm_sentence_audio(ctx, workers=1)
    assert (second.made, second.left) == (1, 0) and len(library(ctx, small_bank)) == 3
    assert sorted(text for text, _voice in counting.calls) == sorted(small_bank)
