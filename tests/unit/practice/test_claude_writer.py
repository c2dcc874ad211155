"""The Claude sentence writer with a hand-written LanguageModel: the prompt, the output checks, the deadline."""

import threading

import pytest
from chalicelib.adapters.claude import ClaudeSentenceWriter, WrittenSentences
from chalicelib.domain.levels import Level
from pydantic import ValidationError
from speaktracker.errors import Unavailable


class ScriptedModel:
    def __init__(self, payload, delay=0.0):
        self.payload, self.delay, self.prompts = payload, delay, []
        self.released = threading.Event()

    def structured(self, system, messages, schema, tool_name, description, max_tokens=1024):
        self.prompts.append(messages[0]["content"])
        if self.delay:
            self.released.wait(self.delay)
        return schema.model_validate(self.payload)

    def text(self, system, messages, max_tokens=512):
        raise AssertionError("sentences are structured output")


GOOD = {
    "sentences": [
        {"english": "Could you  pass the salt?", "korean": "소금 좀 건네주시겠어요?"},
        {"english": "I walk to school.", "korean": "저는 걸어서 학교에 가요."},
    ]
}


def test_the_prompt_names_level_topic_and_what_to_avoid():
    model = ScriptedModel(GOOD)
    written = ClaudeSentenceWriter(lambda: model).write(Level.INTERMEDIATE, "daily", 2, ["How was your day?"])
    assert [s.english for s in written] == ["Could you pass the salt?", "I walk to school."]
    assert {s.source for s in written} == {"claude"} and written[0].level == Level.INTERMEDIATE
    assert "intermediate" in model.prompts[0] and "일상 대화" in model.prompts[0]
    assert "How was your day?" in model.prompts[0]


@pytest.mark.parametrize(
    "payload",
    [
        {"sentences": [{"english": "안녕하세요", "korean": "안녕하세요"}]},
        {"sentences": [{"english": "Hello there.", "korean": "Hello there."}]},
        {"sentences": []},
    ],
)
def test_output_that_is_not_english_with_korean_does_not_validate(payload):
    with pytest.raises(ValidationError):
        WrittenSentences.model_validate(payload)


def test_a_model_that_takes_too_long_is_given_up_on():
    model = ScriptedModel(GOOD, delay=5)
    with pytest.raises(Unavailable) as caught:
        ClaudeSentenceWriter(lambda: model, deadline_seconds=0.1).write(Level.BEGINNER, "travel", 2, [])
    model.released.set()
    assert caught.value.code == "AI_TIMEOUT" and caught.value.status == 503
