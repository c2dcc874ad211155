"""Issue 13, faults: Claude misbehaving under the whole dev stack. The services run with the anthropic engine
against the local Messages-API fake (in this process), with a 1 s timeout: 429 and 529 are retried by the SDK
and the turn completes; a Claude that keeps failing, timing out or answering in the wrong shape ends in a
visible FAILED with its reason, on the status route and pushed as ai_reply; practice's sentence generation
falls back to the bank. The service-level detail (attempt counts, reason texts) is in
tests/integration/conversation/test_claude_partner.py and tests/integration/practice/test_sentences_api.py."""

import pytest
from support.fake_anthropic import FakeAnthropic, overloaded, partner_answer, rate_limited, tool_use

from .conftest import Person, frames, start_stack, stop_stack

SCRIPTED_FAILURES = 12  # more than the SDK's four attempts on each of ai-chat's two receives


@pytest.fixture(scope="module")
def claude():
    with FakeAnthropic(partner_answer) as fake:
        yield fake


@pytest.fixture(scope="module")
def claude_stack(tmp_path_factory, claude):
    stack = start_stack(
        tmp_path_factory.mktemp("claude-stack"),
        {
            "SPEAKTRACKER_LLM_ENGINE": "anthropic",
            "SPEAKTRACKER_ANTHROPIC_API_KEY": "test-key",
            "SPEAKTRACKER_ANTHROPIC_BASE_URL": claude.base_url,
            "SPEAKTRACKER_ANTHROPIC_TIMEOUT_SECONDS": "1",
        },
    )
    yield stack
    stop_stack(stack)


@pytest.fixture(autouse=True)
def unscripted(claude):
    claude.clear()
    yield
    claude.clear()


def turn(student, words="I very like latte"):
    """Sends a typed turn and returns the ai_reply pushed for it and the status route's answer."""
    cid = student.call("POST", "conversation", "/api/ai/chat/start", {"difficulty": "하", "scenarioId": "cafe-order"})[
        "conversationId"
    ]
    with student.socket() as socket:
        accepted = student.call(
            "POST", "conversation", "/api/ai/chat/message", {"conversationId": cid, "userMessage": words}
        )
        [pushed] = frames(socket, "ai_reply", 1, timeout=90)
    assert pushed["requestId"] == accepted["requestId"]
    return pushed, student.call("GET", "conversation", f"/api/ai/chat/status/{accepted['requestId']}")


def test_429_and_529_are_retried_and_the_turn_completes(claude_stack, claude):
    student = Person(claude_stack, "Retry Student", "student")
    answered_before = len(claude.requests)
    claude.enqueue(*overloaded())
    claude.enqueue(*rate_limited())
    pushed, status = turn(student)
    assert pushed["status"] == status["status"] == "COMPLETED"
    assert status["aiMessage"] == "Great choice! Hot or iced?"
    assert len(claude.requests) - answered_before >= 3  # the two refusals, then the answer


@pytest.mark.parametrize(
    "failure,reason_code",
    [
        (overloaded(), "AI_UNAVAILABLE"),
        ((200, tool_use("say_line", {"reply": ""}), {}), "AI_OUTPUT_INVALID"),
    ],
    ids=["529-every-time", "malformed-tool-output"],
)
def test_claude_failing_every_time_is_a_visible_failed_with_a_reason(claude_stack, claude, failure, reason_code):
    student = Person(claude_stack, "Failed Student", "student")
    for _ in range(SCRIPTED_FAILURES):
        claude.enqueue(*failure)
    pushed, status = turn(student)
    assert pushed["status"] == status["status"] == "FAILED"
    assert status["reasonCode"] == reason_code and status["reason"]
    assert pushed["reason"]


def test_claude_timing_out_every_time_is_a_visible_failed(claude_stack, claude):
    student = Person(claude_stack, "Timeout Student", "student")
    for _ in range(SCRIPTED_FAILURES):
        claude.enqueue(200, partner_answer({"tool_choice": {"name": "say_line"}}), delay=1.5)
    pushed, status = turn(student)
    assert pushed["status"] == status["status"] == "FAILED"
    assert status["reasonCode"] == "AI_UNAVAILABLE" and status["reason"]


def test_sentence_generation_falls_back_to_the_bank_when_claude_is_down(claude_stack, claude):
    student = Person(claude_stack, "Bank Student", "student")
    for _ in range(SCRIPTED_FAILURES):
        claude.enqueue(*overloaded())
    made = student.call("POST", "practice", "/api/sentences/generate", {"count": 2})
    assert (made["source"], made["notice"]) == ("bank", "AI_UNAVAILABLE")
    assert len(made["sentences"]) == 2 and all(s["english"] and s["korean"] for s in made["sentences"])
