"""The partner and the coach on Claude (``speaktracker.llm.ClaudeModel``): forced tool calls validated by
pydantic, the SDK's bounded retries on 429/529/5xx and timeouts, usage logged per call.

The system prompt is the persona and the scenario; that fixed part carries ``cache_control`` so every turn of
a conversation (and every conversation of the scenario) reuses it from the prompt cache, and only the
conversation so far is new input.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from speaktracker import logging as slog
from speaktracker.llm import LanguageModel

from ..domain.conversation import Turn
from ..domain.feedback import Hint, PartnerReply, TurnFeedback
from ..domain.grammar import words_the_learner_used
from ..domain.scenarios import Level, Scenario

_log = slog.get_logger("conversation.claude")
LEVEL_GUIDE = {
    Level.BEGINNER: "a beginner (CEFR A1-A2): short, simple sentences, everyday words, speak slowly and clearly",
    Level.INTERMEDIATE: "an intermediate learner (CEFR B1): natural everyday English, common phrasal verbs",
    Level.ADVANCED: "an advanced learner (CEFR B2-C1): natural, idiomatic English at normal speed",
}
PERSONA = (
    "You are a warm, patient English conversation partner in a role-play for Korean learners of English. "
    "Stay in character at all times. Never correct the learner's English in the conversation itself and never "
    "mention that you are an AI or a tutor: feedback is given separately. Reply in at most 25 words, in one "
    "or two sentences, and end with a question where it is natural, so the learner keeps talking. If the "
    "learner's words are unclear (they come from speech recognition), answer the most likely meaning. Give a "
    "natural Korean translation of your line in polite 해요체 (반말 if the role is a close friend)."
)
COACH = (
    "You are an English teacher for Korean learners. Look at one thing the learner said in a role-play (as "
    "heard by speech recognition, so ignore punctuation and capitalisation). Point out at most two real "
    "mistakes that matter for being understood or sounding natural, each with the learner's words, the "
    "corrected words and a one-sentence explanation in Korean (해요체). If it was fine, give no corrections. "
    "Offer a more natural way to say the whole thing, or null if it was already natural, and list the "
    "useful words or phrases the learner used well."
)


def system_prompt(scenario: Scenario, level: Level) -> list[dict[str, Any]]:
    goals = "\n".join(f"- {g.en}" for g in scenario.goals)
    fixed = (
        f"{PERSONA}\n\nScenario: {scenario.title.en}. {scenario.situation.en}\nYou play: "
        f"{scenario.ai_role.en}. The learner plays: {scenario.learner_role.en}.\nSteer the conversation so "
        f"the learner can reach these goals, one at a time:\n{goals}\nThe role-play succeeds when: "
        f"{scenario.success.en}\nThe learner is {LEVEL_GUIDE[level]}."
    )
    return [{"type": "text", "text": fixed, "cache_control": {"type": "ephemeral"}}]


def history(turns: list[Turn], heard: str | None = None) -> list[dict[str, str]]:
    """The conversation as Messages-API turns; it must start with the user, so the opener is framed."""
    messages: list[dict[str, str]] = [{"role": "user", "content": "(The learner arrives. Start the role-play.)"}]
    for turn in turns:
        if turn.index > 0:
            messages.append({"role": "user", "content": turn.heard_text or "(silence)"})
        messages.append({"role": "assistant", "content": turn.ai_message})
    if heard is not None:
        messages.append({"role": "user", "content": heard})
    return messages


class ClaudePartner:
    name = "claude"

    def __init__(self, model: Callable[[], LanguageModel]) -> None:
        self._model = model  # built on first use: a missing key is this call's 503, not an import crash

    def opening(self, scenario: Scenario, level: Level) -> PartnerReply:
        return self._say(scenario, level, history([]), "Open the role-play in character with your first line.")

    def reply(self, scenario: Scenario, level: Level, turns: list[Turn], heard: str, last: bool) -> PartnerReply:
        instruction = (
            "This is the last turn: answer, then close the conversation warmly in character."
            if last
            else "Answer the learner's last message in character."
        )
        return self._say(scenario, level, history(turns, heard), instruction)

    def hint(self, scenario: Scenario, level: Level, turns: list[Turn]) -> Hint:
        messages = history(turns) + [
            {
                "role": "user",
                "content": (
                    "(Out of character: the learner is stuck. Suggest one short reply the learner could say next, at "
                    "their level, that moves toward the next open goal, with its Korean translation.)"
                ),
            }
        ]
        return self._model().structured(
            system_prompt(scenario, level),
            _alternating(messages),
            Hint,
            "suggest_reply",
            "Suggest what the learner could say next.",
            max_tokens=300,
        )

    def _say(self, scenario: Scenario, level: Level, messages: list[dict[str, str]], instruction: str) -> PartnerReply:
        messages = _alternating(messages + [{"role": "user", "content": f"({instruction})"}])
        return self._model().structured(
            system_prompt(scenario, level),
            messages,
            PartnerReply,
            "say_line",
            "Say your next line in the role-play, with its Korean translation.",
            max_tokens=400,
        )


class ClaudeCoach:
    """``known`` is the dictionary the offline coach trusts (``DictionaryWords``): Claude's new words must pass it
    and must be words the learner said, so a misspelling, a non-word or Korean is never praised as vocabulary."""

    def __init__(self, model: Callable[[], LanguageModel], known: Callable[[str], bool]) -> None:
        self._model, self._known = model, known

    def feedback(self, scenario: Scenario, level: Level, turns: list[Turn], heard: str) -> TurnFeedback:
        context = turns[-1].ai_message if turns else scenario.opener.en
        prompt = (
            f"Role-play: {scenario.title.en} (the learner is {LEVEL_GUIDE[level]}).\nThe partner said: "
            f"{context}\nThe learner said: {heard}"
        )
        coached = self._model().structured(
            [{"type": "text", "text": COACH, "cache_control": {"type": "ephemeral"}}],
            [{"role": "user", "content": prompt}],
            TurnFeedback,
            "give_feedback",
            "Record feedback on the learner's turn.",
            max_tokens=600,
        )
        kept, dropped = words_the_learner_used(coached.new_words, heard, self._known)
        if dropped:
            slog.log(_log, logging.INFO, "coach's new words dropped", dropped=dropped, kept=kept)
        return coached.model_copy(update={"new_words": kept})


def _alternating(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """The Messages API wants user and assistant in turn: consecutive messages of one role are joined."""
    out: list[dict[str, str]] = []
    for message in messages:
        if out and out[-1]["role"] == message["role"]:
            out[-1] = {"role": message["role"], "content": f"{out[-1]['content']}\n{message['content']}"}
        else:
            out.append(dict(message))
    return out


class UsageLoggingClient:
    """Wraps an ``anthropic.Anthropic`` client: every Messages call logs its token usage, cache hits included."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.messages = self

    def create(self, **request: Any) -> Any:
        message = self._client.messages.create(**request)
        usage = getattr(message, "usage", None)
        if usage is not None:
            slog.log(
                _log,
                20,
                "claude usage",
                model=request.get("model"),
                tool=_tool(request),
                inputTokens=getattr(usage, "input_tokens", None),
                outputTokens=getattr(usage, "output_tokens", None),
                cacheReadTokens=getattr(usage, "cache_read_input_tokens", None),
                cacheWriteTokens=getattr(usage, "cache_creation_input_tokens", None),
            )
        return message


def _tool(request: dict[str, Any]) -> str | None:
    choice = request.get("tool_choice") or {}
    return choice.get("name")
