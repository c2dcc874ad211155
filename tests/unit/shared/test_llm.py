import anthropic
import pytest
from pydantic import BaseModel, Field
from speaktracker.errors import Unavailable
from speaktracker.llm import ClaudeModel, ModelOutputInvalid, SecretApiKey
from support.fake_anthropic import FakeAnthropic, overloaded, text, tool_use


class Sentence(BaseModel):
    english: str = Field(min_length=1)
    korean: str = Field(min_length=1)


class Sentences(BaseModel):
    sentences: list[Sentence] = Field(min_length=1)


GOOD = {"sentences": [{"english": "How was your day?", "korean": "오늘 하루 어땠어요?"}]}


@pytest.fixture
def fake():
    with FakeAnthropic() as server:
        yield server


def model_on(fake, retries=3):
    client = anthropic.Anthropic(api_key="test-key", base_url=fake.base_url, timeout=5, max_retries=retries)
    return ClaudeModel(client, "claude-test")


def ask(model):
    return model.structured(
        "You write sentences.",
        [{"role": "user", "content": "one please"}],
        Sentences,
        "record_sentences",
        "Record the sentences.",
    )


def test_structured_output_is_a_forced_tool_call_validated_by_pydantic(fake):
    fake.enqueue(200, tool_use("record_sentences", GOOD))
    result = ask(model_on(fake))
    assert result.sentences[0].korean == "오늘 하루 어땠어요?"
    request = fake.requests[0]
    assert request["tool_choice"] == {"type": "tool", "name": "record_sentences"}
    assert request["tools"][0]["input_schema"]["properties"]["sentences"]
    sent = {k.lower(): v for k, v in fake.headers[0].items()}
    assert sent.get("x-api-key") == "test-key" or sent.get("authorization") == "Bearer test-key"


def test_529_then_success_is_retried_by_the_sdk(fake):
    fake.enqueue(*overloaded())
    fake.enqueue(200, tool_use("record_sentences", GOOD))
    assert ask(model_on(fake)).sentences[0].english == "How was your day?"
    assert len(fake.requests) == 2


def test_persistent_overload_becomes_unavailable_not_a_crash(fake):
    for _ in range(3):
        fake.enqueue(*overloaded())
    with pytest.raises(Unavailable) as caught:
        ask(model_on(fake, retries=2))
    assert caught.value.code == "AI_UNAVAILABLE" and caught.value.status == 503
    assert len(fake.requests) == 3


def test_malformed_output_is_asked_again_then_reported(fake):
    fake.enqueue(200, tool_use("record_sentences", {"sentences": [{"english": "Hi"}]}))
    fake.enqueue(200, tool_use("record_sentences", GOOD))
    assert ask(model_on(fake)).sentences[0].english == "How was your day?"
    fake.enqueue(200, tool_use("record_sentences", {"wrong": 1}))
    fake.enqueue(200, text("I'd rather chat."))
    with pytest.raises(ModelOutputInvalid) as caught:
        ask(model_on(fake))
    assert caught.value.code == "AI_OUTPUT_INVALID"


def test_a_bad_request_is_not_retried(fake):
    fake.enqueue(400, {"type": "error", "error": {"type": "invalid_request_error", "message": "bad"}})
    with pytest.raises(Unavailable) as caught:
        ask(model_on(fake))
    assert caught.value.code == "AI_REQUEST_REFUSED" and len(fake.requests) == 1


def test_text_reply(fake):
    fake.enqueue(200, text("  That's great to hear!  "))
    assert model_on(fake).text("Be friendly.", [{"role": "user", "content": "hi"}]) == "That's great to hear!"


def test_api_key_secret_accepts_json_or_plain_and_is_read_once():
    class Secrets:
        calls = 0

        def __init__(self, value):
            self.value = value

        def get_secret_value(self, SecretId):
            Secrets.calls += 1
            return {"SecretString": self.value}

    key = SecretApiKey(Secrets('{"apiKey": "sk-1"}'), "speaktracker/claude")
    assert key.get() == key.get() == "sk-1" and Secrets.calls == 1
    assert SecretApiKey(Secrets("sk-2\n"), "x").get() == "sk-2"
