"""The partner and coach on Claude, served by the local Messages-API fake: the real SDK's tool use, retries on
429/529 and timeouts, prompt caching on the fixed system prompt, and what the learner sees when Claude keeps
failing or answers in the wrong shape (FAILED with a reason, then they can send again)."""

import pytest
from speaktracker.settings import reset_settings
from support.fake_anthropic import FakeAnthropic, overloaded, rate_limited, tool_use
from support.fake_anthropic import partner_answer as answer


@pytest.fixture
def claude(monkeypatch, app):
    from chalicelib import wiring

    with FakeAnthropic(answer) as fake:
        for name, value in {
            "SPEAKTRACKER_LLM_ENGINE": "anthropic",
            "SPEAKTRACKER_ANTHROPIC_API_KEY": "test-key",
            "SPEAKTRACKER_ANTHROPIC_BASE_URL": fake.base_url,
            "SPEAKTRACKER_ANTHROPIC_TIMEOUT_SECONDS": "1",
        }.items():
            monkeypatch.setenv(name, value)
        reset_settings()
        wiring.conversations.cache_clear()
        yield fake
    monkeypatch.undo()
    reset_settings()
    wiring.conversations.cache_clear()


@pytest.fixture(autouse=True)
def quiet(queues):
    queues.purge("ai-chat")
    queues.purge("ai-feedback")


def begin(api, student):
    status, started = api.call(
        "post", "/api/ai/chat/start", {"scenarioId": "cafe-order", "difficulty": "beginner"}, user=student
    )
    assert status == 201, started
    return started


def say(api, queues, student, cid, words="I very like latte"):
    status, accepted = api.call(
        "post", "/api/ai/chat/message", {"conversationId": cid, "userMessage": words}, user=student
    )
    assert status == 202, accepted
    queues.drain("ai-chat")
    queues.drain("ai-feedback")
    return api.call("get", f"/api/ai/chat/status/{accepted['requestId']}", user=student)[1]


def test_claude_plays_the_partner_and_coaches_with_forced_tools_and_a_cached_system_prompt(
    api, queues, student, claude
):
    started = begin(api, student)
    assert started["firstMessage"] == "Great choice! Hot or iced?"  # the fake's line, as Claude would open
    done = say(api, queues, student, started["conversationId"])
    assert done["status"] == "COMPLETED" and done["aiMessageKo"] == "좋아요! 따뜻하게요, 차갑게요?"
    assert done["feedback"]["corrections"][0]["explanationKo"] and done["feedback"]["newWords"] == ["latte"]
    reply = next(r for r in claude.requests[1:] if r["tool_choice"]["name"] == "say_line")
    assert reply["tool_choice"] == {"type": "tool", "name": "say_line"}
    assert reply["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert "barista" in reply["system"][0]["text"] and "25 words" in reply["system"][0]["text"]
    roles = [m["role"] for m in reply["messages"]]
    assert roles[0] == "user" and all(a != b for a, b in zip(roles, roles[1:]))
    assert "I very like latte" in reply["messages"][-1]["content"]
    status, hint = api.call("post", f"/api/ai/chat/{started['conversationId']}/hint", user=student)
    assert hint["suggestion"] == "A large one, please."


def test_overload_and_rate_limits_are_retried_by_the_sdk(api, queues, student, claude):
    started = begin(api, student)
    claude.enqueue(*overloaded())
    claude.enqueue(*rate_limited())
    assert say(api, queues, student, started["conversationId"])["status"] == "COMPLETED"


def test_claude_failing_every_retry_fails_the_turn_with_a_reason_and_the_learner_can_send_again(
    api, queues, student, claude
):
    started = begin(api, student)
    for _ in range(8):  # four SDK attempts on each of the queue's two receives
        claude.enqueue(*overloaded())
    failed = say(api, queues, student, started["conversationId"])
    assert failed["status"] == "FAILED" and failed["reasonCode"] == "AI_UNAVAILABLE"
    assert "after 2 attempts" in failed["reason"]
    assert say(api, queues, student, started["conversationId"], "A latte please")["status"] == "COMPLETED"


def test_malformed_tool_output_is_asked_again_then_failed_with_a_reason(api, queues, student, claude):
    started = begin(api, student)
    wrong = tool_use("say_line", {"reply": ""})
    for _ in range(4):  # two asks per receive, two receives
        claude.enqueue(200, wrong)
    failed = say(api, queues, student, started["conversationId"])
    assert failed["status"] == "FAILED" and failed["reasonCode"] == "AI_OUTPUT_INVALID"


def test_a_timeout_is_retried_and_then_answered(api, queues, student, claude):
    started = begin(api, student)
    claude.enqueue(200, answer({"tool_choice": {"name": "say_line"}}), delay=1.5)
    assert say(api, queues, student, started["conversationId"])["status"] == "COMPLETED"
    assert len([r for r in claude.requests if r["tool_choice"]["name"] == "say_line"]) >= 3


def test_claude_down_at_the_start_still_opens_with_the_scripted_line(api, student, claude):
    for _ in range(4):
        claude.enqueue(*overloaded())
    started = begin(api, student)
    assert started["firstMessage"].startswith("Good morning!")


def test_claudes_new_words_that_are_not_words_the_learner_said_are_dropped(api, queues, student, claude, caplog):
    started = begin(api, student)
    coached = {
        "corrections": [],
        "betterPhrasing": None,
        "newWords": ["latte", "lattee", "라떼", "cappuccino", "qzxv", "very like"],
    }
    claude.enqueue(200, answer({"tool_choice": {"name": "say_line"}}))
    claude.enqueue(200, tool_use("give_feedback", coached))
    with caplog.at_level("INFO"):
        done = say(api, queues, student, started["conversationId"])
    assert done["status"] == "COMPLETED"
    assert done["feedback"]["status"] == "READY" and done["feedback"]["newWords"] == ["latte", "very like"]
    [dropped] = [r for r in caplog.records if "new words dropped" in r.getMessage()]
    assert dropped.dropped == ["lattee", "라떼", "cappuccino", "qzxv"] and dropped.kept == ["latte", "very like"]
