"""Text-to-speech jobs and the worker, with the real offline engine (espeak-ng) and the emulator's queues."""

import json
import time
import uuid

import requests


class Broken:
    def synthesize(self, text, voice):
        raise RuntimeError("the speech engine crashed")


def generate(api, user, count=2, **body):
    status, made = api.call("post", "/api/sentences/generate", {"count": count, **body}, user=user)
    assert status == 200, made
    return made


def tts_events(queues, job_ids):
    return [e for e in queues.bodies("notifications-events") if e.get("type") == "tts_ready" and e["jobId"] in job_ids]


def test_the_worker_makes_real_audio_and_announces_it(api, queues, student, counting, queued_speech, small_bank):
    # A bank of its own: the shared bank's sentences may already be in the library, made by an earlier test's
    # generate (which now makes a set's first audio itself), and would then never reach the queue.
    queues.purge("notifications-events")
    made = generate(api, student, count=2, difficulty="중", topic="여행")
    assert queues.drain("tts") == 2
    for sentence in made["sentences"]:
        status, job = api.call("get", f"/api/tts/status/{sentence['jobId']}", user=student)
        assert status == 200 and job["status"] == "COMPLETED" and job["expiresIn"] > 0, job
        assert job["durationMs"] > 300 and job["sentenceIndex"] == sentence["index"]
        audio = requests.get(job["audioUrl"], timeout=10)
        assert audio.status_code == 200 and len(audio.content) > 2000
        assert audio.content[:4] in (b"RIFF", b"ID3\x03", b"OggS") or audio.content[:2] == b"\xff\xf3"
    events = tts_events(queues, set(made["jobIds"]))
    assert sorted(e["jobId"] for e in events) == sorted(made["jobIds"])
    assert {(e["status"], e["ownerEmail"]) for e in events} == {("COMPLETED", student.email)}
    assert len(counting.calls) == 2


def test_audio_already_made_is_ready_at_generate_time_without_the_queue(
    api, aws, ctx, queues, student, counting, queued_speech, small_bank
):
    ctx.rng.seed(11)
    first = generate(api, student, count=3, difficulty="중", topic="여행")
    assert queues.drain("tts") == 3
    queues.purge("notifications-events")
    ctx.rng.seed(11)  # a new student with the same draw is offered the same sentences
    other = aws.user(f"student-{uuid.uuid4().hex[:8]}@example.com", "student")
    made = generate(api, other, count=3, difficulty="중", topic="여행")
    assert [s["english"] for s in made["sentences"]] == [s["english"] for s in first["sentences"]]
    assert {s["audioStatus"] for s in made["sentences"]} == {"COMPLETED"}
    assert queues.drain("tts") == 0 and len(counting.calls) == 3
    events = tts_events(queues, set(made["jobIds"]))
    assert sorted(e["jobId"] for e in events) == sorted(made["jobIds"])
    for sentence, earlier in zip(made["sentences"], first["sentences"]):
        status, job = api.call("get", f"/api/tts/status/{sentence['jobId']}", user=other)
        _, before = api.call("get", f"/api/tts/status/{earlier['jobId']}", user=student)
        assert status == 200 and job["status"] == "COMPLETED" and job["durationMs"] == before["durationMs"]
        assert requests.get(job["audioUrl"], timeout=10).content[:4] == b"RIFF"


def test_the_same_message_twice_is_one_synthesis(api, client, queues, aws, student, counting, queued_speech):
    made = generate(api, student, count=1, difficulty="상", topic="건강")
    [body] = [json.dumps(m) for m in queues.bodies("tts")]
    event = client.events.generate_sqs_event([body], aws.settings.name("tts"))
    for _ in range(2):
        answer = client.lambda_.invoke("synthesize_speech", event)
        assert answer.payload == {"batchItemFailures": []}
    assert len(counting.calls) == 1
    status, job = api.call("get", f"/api/tts/status/{made['jobIds'][0]}", user=student)
    assert job["status"] == "COMPLETED"
    assert len(tts_events(queues, set(made["jobIds"]))) == 1


def test_identical_text_and_voice_are_synthesised_once(api, aws, client, queues, student, counting):
    text = "Identical sentences share one recording."
    bodies = [
        json.dumps({"jobId": f"tts-twin-{i}", "ownerEmail": student.email, "text": text, "voiceId": "Joanna"})
        for i in range(3)
    ]
    answer = client.lambda_.invoke("synthesize_speech", client.events.generate_sqs_event(bodies, "tts"))
    assert answer.payload == {"batchItemFailures": []}
    assert counting.calls == [(text, "Joanna")]
    keys = {
        api.call("get", f"/api/tts/status/tts-twin-{i}", user=student)[1]["audioUrl"].split("?")[0] for i in range(3)
    }
    assert len(keys) == 1
    stored = aws.client("dynamodb").scan(TableName=aws.settings.name("sentence-audio"))["Items"]
    assert sum(1 for item in stored if item["text"]["S"] == text) == 1
    queues.purge("notifications-events")


def test_a_failing_job_ends_failed_with_a_reason_and_goes_to_the_dead_letter_queue(
    api, aws, ctx, queues, student, monkeypatch, small_bank
):
    monkeypatch.setattr(ctx, "synthesizer", Broken())
    queues.purge("notifications-events")
    made = generate(api, student, count=1, difficulty="중", topic="여행")  # a sentence whose audio was never made
    job_id = made["jobIds"][0]
    queues.drain("tts", rounds=6)
    status, job = api.call("get", f"/api/tts/status/{job_id}", user=student)
    assert status == 200 and job["status"] == "FAILED" and "3 attempts" in job["reason"]
    assert "audioUrl" not in job
    dead = queues.bodies("tts-dlq")
    assert [m["jobId"] for m in dead] == [job_id]
    [event] = tts_events(queues, {job_id})
    assert event["status"] == "FAILED" and event["reason"] == job["reason"]


def test_a_sentence_nobody_has_synthesised_gets_its_first_audio_in_generates_answer(
    api, aws, ctx, queues, student, counting, small_bank, monkeypatch
):
    monkeypatch.setattr(ctx, "first_audio_head_start", 2)  # the product's default (the suite runs with 0)
    queues.purge("notifications-events")
    made = generate(api, student, count=3, difficulty="중", topic="여행")
    first, *others = made["sentences"]
    assert first["audioStatus"] == "COMPLETED" and {s["audioStatus"] for s in others} == {"PENDING"}
    assert counting.calls == [(first["english"], "Matthew")]  # made by generate itself, with espeak-ng
    status, job = api.call("get", f"/api/tts/status/{first['jobId']}", user=student)
    assert status == 200 and job["status"] == "COMPLETED" and job["durationMs"] > 300
    audio = requests.get(job["audioUrl"], timeout=10)
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF" and len(audio.content) > 2000
    library = aws.client("dynamodb").scan(TableName=aws.settings.name("sentence-audio"))["Items"]
    assert sum(1 for item in library if item["text"]["S"] == first["english"]) == 1
    [ready] = tts_events(queues, {first["jobId"]})
    assert ready["status"] == "COMPLETED"
    assert queues.bodies("tts") == []  # the rest give the first its head start on the machine
    time.sleep(ctx.first_audio_head_start + 0.2)
    assert sorted(m["jobId"] for m in queues.bodies("tts")) == sorted(s["jobId"] for s in others)


def test_a_first_audio_slower_than_the_budget_is_queued_too_and_every_job_completes(
    api, aws, ctx, queues, student, counting, small_bank, monkeypatch
):
    from datetime import timedelta

    monkeypatch.setattr(ctx, "first_audio_budget", timedelta(milliseconds=1))  # espeak-ng takes longer
    queues.purge("notifications-events")
    made = generate(api, student, count=3, difficulty="중", topic="여행")
    assert {s["audioStatus"] for s in made["sentences"]} == {"PENDING"}
    assert queues.drain("tts") == 3  # nothing lost: every job was queued
    for sentence in made["sentences"]:
        status, job = api.call("get", f"/api/tts/status/{sentence['jobId']}", user=student)
        assert status == 200 and job["status"] == "COMPLETED", job
    events = tts_events(queues, set(made["jobIds"]))
    # Announced by generate's late synthesis or by the worker, whichever finished the job; the event id is the
    # job's, so notifications pushes it once even if both announced.
    assert {e["jobId"] for e in events} == set(made["jobIds"])
    assert len({e["eventId"] for e in events}) == 3
    library = aws.client("dynamodb").scan(TableName=aws.settings.name("sentence-audio"))["Items"]
    assert sorted(item["text"]["S"] for item in library if item["text"]["S"] in small_bank) == sorted(small_bank)


def test_a_malformed_message_is_reported_as_a_batch_item_failure(client, aws):
    event = client.events.generate_sqs_event(["not json", json.dumps({"jobId": "x"})], aws.settings.name("tts"))
    answer = client.lambda_.invoke("synthesize_speech", event)
    assert len(answer.payload["batchItemFailures"]) == 2


def test_a_job_whose_text_cannot_be_spoken_fails_at_once(api, client, aws, queues, student):
    queues.purge("notifications-events")
    body = json.dumps({"jobId": "tts-blank", "ownerEmail": student.email, "text": "   ", "voiceId": "Matthew"})
    answer = client.lambda_.invoke("synthesize_speech", client.events.generate_sqs_event([body], "tts"))
    assert answer.payload == {"batchItemFailures": []}
    status, job = api.call("get", "/api/tts/status/tts-blank", user=student)
    assert status == 200 and job["status"] == "FAILED" and job["reason"].startswith("This cannot be spoken")
    assert [e["status"] for e in tts_events(queues, {"tts-blank"})] == ["FAILED"]


def test_warm_up_loads_the_speech_engine_with_one_synthesis(app, counting):
    import app as practice_app

    practice_app.warm_up()  # what the dev stack's host calls once it serves
    assert counting.calls == [("Ready.", "Matthew")]
