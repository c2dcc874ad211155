import json

import pytest
from speaktracker.settings import reset_settings
from support.fake_anthropic import FakeAnthropic, overloaded, text, tool_use

SENTENCES = {
    "sentences": [
        {"english": "Could you pass me the salt, please?", "korean": "소금 좀 건네주시겠어요?"},
        {"english": "I usually walk my dog after dinner.", "korean": "저는 보통 저녁을 먹고 개를 산책시켜요."},
        {"english": "What do you like to do on rainy days?", "korean": "비 오는 날에는 뭘 하는 걸 좋아해요?"},
    ]
}


def test_generate_from_the_bank_readies_the_first_audio_and_queues_one_tts_job_per_other_sentence(
    api, queues, student, small_bank
):
    queues.purge("tts")
    status, made = api.call(
        "post", "/api/sentences/generate", {"difficulty": "중", "topic": "여행", "count": 3}, user=student
    )
    assert status == 200, made
    assert made["source"] == "bank" and len(made["sentences"]) == 3 and len(set(made["jobIds"])) == 3
    first, second = made["sentences"][:2]
    assert first["level"] == "intermediate" and first["topic"] == "travel" and first["korean"]
    assert first["audioStatus"] == "COMPLETED" and second["audioStatus"] == "PENDING"
    messages = queues.bodies("tts")
    assert sorted(m["jobId"] for m in messages) == sorted(made["jobIds"][1:])
    assert all(m["ownerEmail"] == student.email and m["voiceId"] == "Matthew" for m in messages)
    assert {m["sentenceIndex"] for m in messages} == {1, 2}
    status, job = api.call("get", f"/api/tts/status/{second['jobId']}", user=student)
    assert status == 200 and job["status"] == "PENDING" and job["text"] == second["english"]


def test_english_labels_and_bad_requests(api, queues, student):
    status, made = api.call(
        "post", "/api/sentences/generate", {"difficulty": "hard", "topic": "travel", "count": 2}, user=student
    )
    assert status == 200 and {s["level"] for s in made["sentences"]} == {"advanced"}
    for body, code in (
        ({"difficulty": "expert"}, "UNKNOWN_DIFFICULTY"),
        ({"topic": "우주"}, "UNKNOWN_TOPIC"),
        ({"count": 0}, "VALIDATION_FAILED"),
        ({"count": 11}, "VALIDATION_FAILED"),
        ({"voiceId": "HAL"}, "UNKNOWN_VOICE"),
    ):
        status, error = api.call("post", "/api/sentences/generate", body, user=student)
        assert (status, error["error"]) == (400, code)
    queues.purge("tts")


def test_status_belongs_to_the_jobs_owner(api, aws, queues, student, tutor):
    made = api.call("post", "/api/sentences/generate", {"count": 1}, user=student)[1]
    job_id = made["jobIds"][0]
    other = aws.user(None, "student")
    for user in (other, tutor):
        status, body = api.call("get", f"/api/tts/status/{job_id}", user=user)
        assert (status, body["error"]) == (404, "JOB_NOT_FOUND")
    assert api.call("get", f"/api/tts/status/{job_id}")[0] == 401
    queues.purge("tts")


@pytest.fixture
def claude(monkeypatch, app):
    """The app on Claude: the real anthropic SDK against a local fake of the Messages API."""
    from chalicelib import wiring

    with FakeAnthropic() as fake:
        monkeypatch.setenv("SPEAKTRACKER_LLM_ENGINE", "anthropic")
        monkeypatch.setenv("SPEAKTRACKER_ANTHROPIC_API_KEY", "test-key")
        monkeypatch.setenv("SPEAKTRACKER_ANTHROPIC_BASE_URL", fake.base_url)
        monkeypatch.setenv("SPEAKTRACKER_ANTHROPIC_TIMEOUT_SECONDS", "5")
        reset_settings()
        wiring.practice.cache_clear()
        yield fake
    reset_settings()
    wiring.practice.cache_clear()


def test_claude_writes_the_sentences_after_a_529(api, queues, student, claude):
    claude.enqueue(*overloaded())
    claude.enqueue(200, tool_use("record_practice_sentences", SENTENCES))
    status, made = api.call(
        "post", "/api/sentences/generate", {"difficulty": "중", "topic": "일상 대화", "count": 3}, user=student
    )
    assert status == 200, made
    assert made["source"] == "claude" and "notice" not in made
    assert {s["english"] for s in made["sentences"]} == {s["english"] for s in SENTENCES["sentences"]}
    assert len(claude.requests) == 2
    request = claude.requests[-1]
    assert request["tool_choice"] == {"type": "tool", "name": "record_practice_sentences"}
    assert "intermediate" in request["messages"][0]["content"] and "일상 대화" in request["messages"][0]["content"]
    # Nobody has synthesised Claude's sentences: generate makes the first itself, the queue the others.
    first, *others = made["sentences"]
    assert first["audioStatus"] == "COMPLETED" and {s["audioStatus"] for s in others} == {"PENDING"}
    assert sorted(m["jobId"] for m in queues.bodies("tts")) == sorted(s["jobId"] for s in others)


@pytest.mark.parametrize(
    "answers",
    [
        [tool_use("record_practice_sentences", {"sentences": [{"english": "Hi"}]}), text("Sure! Here you go.")],
        [
            tool_use("record_practice_sentences", {"sentences": [{"english": "안녕하세요", "korean": "안녕하세요"}]}),
            tool_use("record_practice_sentences", {"sentences": "none"}),
        ],
    ],
)
def test_malformed_model_output_falls_back_to_the_bank_never_a_500(api, queues, student, claude, answers):
    for answer in answers:
        claude.enqueue(200, answer)
    status, made = api.call(
        "post", "/api/sentences/generate", {"difficulty": "하", "topic": "여행", "count": 4}, user=student
    )
    assert status == 200, made
    assert (made["source"], made["notice"]) == ("bank", "AI_OUTPUT_INVALID")
    assert len(made["sentences"]) == 4 and {s["topic"] for s in made["sentences"]} == {"travel"}
    assert len(claude.requests) == 2
    queues.purge("tts")


def test_a_claude_outage_also_falls_back(api, queues, student, claude):
    for _ in range(4):
        claude.enqueue(*overloaded())
    status, made = api.call("post", "/api/sentences/generate", {"count": 2}, user=student)
    assert status == 200 and (made["source"], made["notice"]) == ("bank", "AI_UNAVAILABLE")
    queues.purge("tts")


def test_the_api_key_comes_from_the_secrets_store(api, aws, queues, student, claude, monkeypatch):
    from chalicelib import wiring

    secrets = aws.client("secretsmanager")
    arn = secrets.create_secret(
        Name="speaktracker/test/anthropic", SecretString=json.dumps({"apiKey": "key-from-secrets"})
    )["ARN"]
    monkeypatch.delenv("SPEAKTRACKER_ANTHROPIC_API_KEY")
    monkeypatch.setenv("SPEAKTRACKER_ANTHROPIC_SECRET_ID", arn)
    reset_settings()
    wiring.practice.cache_clear()
    claude.enqueue(200, tool_use("record_practice_sentences", SENTENCES))
    status, made = api.call("post", "/api/sentences/generate", {"count": 3}, user=student)
    assert status == 200 and made["source"] == "claude"
    sent = {k.lower(): v for k, v in claude.headers[-1].items()}
    assert "key-from-secrets" in (sent.get("x-api-key"), sent.get("authorization", "").removeprefix("Bearer "))
    queues.purge("tts")
