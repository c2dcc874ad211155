"""The offline partner and coach: a scripted scenario engine, not a language model.

It knows each scenario's goals, the question that leads to each, a follow-up, answers to questions the
learner may ask and reactions to topic words (``scenarios.json``). Each reply is built from what the learner
just said: an answer if they asked something, an acknowledgement of yes/no, a reaction to a topic word, a
nudge when the answer was very short; then the next move: the follow-up of a goal just met, or the question
of the first goal still open, or the closing line once all are met. It never repeats the learner's words
back and never says the same line twice in a row. It cannot understand what it has no words for: an answer
outside the script gets a neutral acknowledgement and the conversation moves on.
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.conversation import Turn, goal_progress, is_question
from ..domain.feedback import Hint, PartnerReply, TurnFeedback
from ..domain.grammar import coach
from ..domain.scenarios import Goal, Level, Line, Scenario, words_of

_YES = {"yes", "yeah", "yep", "sure", "okay", "ok", "definitely", "absolutely", "of course", "right"}
_NO = {"no", "nope", "not", "never", "nothing", "don't", "didn't", "haven't"}
_ACKS = (
    Line("Got it.", "알겠어요."),
    Line("Okay, great.", "좋아요."),
    Line("I see.", "그렇군요."),
    Line("Sounds good.", "좋네요."),
    Line("Nice.", "좋아요."),
)
_UNKNOWN_ANSWER = Line("Good question, I'm not sure about that.", "좋은 질문이에요, 그건 잘 모르겠어요.")
_MORE = (
    Line("Could you say a little more?", "조금 더 말해 줄래요?"),
    Line("Take your time, a full sentence is great.", "천천히 해도 돼요, 문장으로 말해 주면 좋아요."),
    Line("No rush.", "서두르지 않아도 돼요."),
)
_FAREWELL = Line(
    "That's all we have time for. You did a great job today, goodbye!",
    "오늘은 여기까지예요. 정말 잘했어요, 안녕히 가세요!",
)


class ScriptedPartner:
    name = "scripted"

    def opening(self, scenario: Scenario, level: Level) -> PartnerReply:
        return _reply([scenario.opener])

    def reply(self, scenario: Scenario, level: Level, turns: list[Turn], heard: str, last: bool) -> PartnerReply:
        said_before = [t.heard_text for t in turns if t.index > 0]
        used = {t.ai_message for t in turns}
        words = set(words_of(heard))
        before = goal_progress(scenario, said_before).met
        after = goal_progress(scenario, said_before + [heard]).met
        just_met = [g for g in scenario.goals if after[g.goal_id] and not before[g.goal_id]]
        reaction = _reaction(scenario, heard, words, used, len(turns))
        if last:
            return _reply([reaction, _FAREWELL] if reaction else [_FAREWELL])
        if not just_met and len(words) <= 2 and not (words & _YES or words & _NO) and not is_question(heard):
            nudge = _MORE[len(turns) % len(_MORE)]
            return _reply([p for p in (nudge, _next_move(scenario, after, [], used)) if p])
        return _reply([p for p in (reaction, _next_move(scenario, after, just_met, used)) if p])

    def hint(self, scenario: Scenario, level: Level, turns: list[Turn]) -> Hint:
        progress = goal_progress(scenario, [t.heard_text for t in turns if t.index > 0]).met
        goal = _first_open(scenario, progress) or scenario.goals[-1]
        return Hint(suggestion=goal.sample.en, suggestion_ko=goal.sample.ko)


class ScriptedCoach:
    """``known`` says whether a word is a real English word (the speech engine's pronunciation dictionary)."""

    def __init__(self, known: Callable[[str], bool]) -> None:
        self._known = known

    def feedback(self, scenario: Scenario, level: Level, turns: list[Turn], heard: str) -> TurnFeedback:
        familiar = frozenset(w for t in turns for w in words_of(t.ai_message))
        return coach(heard, [t.heard_text for t in turns if t.index > 0], self._known, familiar)


def _reaction(scenario: Scenario, heard: str, words: set[str], used: set[str], turn: int) -> Line | None:
    if is_question(heard):
        for answer in scenario.answers:
            if words & set(answer.keywords) and answer.line.en not in " ".join(used):
                return answer.line
        return _UNKNOWN_ANSWER
    for reaction in scenario.reactions:
        if words & set(reaction.keywords) and reaction.line.en not in " ".join(used):
            return reaction.line
    if words & _NO and not words & _YES:
        return Line("No problem.", "괜찮아요.")
    return _ACKS[turn % len(_ACKS)]


def _next_move(scenario: Scenario, met: dict[str, bool], just_met: list[Goal], used: set[str]) -> Line | None:
    """A goal's question is asked once and asked again once; then the partner moves on to the next goal."""
    joined = " ".join(used)
    for goal in just_met:
        if goal.follow_up.en not in joined:
            return goal.follow_up
    for goal in (g for g in scenario.goals if not met.get(g.goal_id)):
        if goal.ask.en not in joined:
            return goal.ask
        again = Line(f"Let me ask again: {goal.ask.en}", f"다시 물어볼게요: {goal.ask.ko}")
        if again.en not in joined:
            return again
    if scenario.closing.en not in joined:
        return scenario.closing
    return Line("Is there anything else you'd like to talk about?", "더 이야기하고 싶은 게 있어요?")


def _first_open(scenario: Scenario, met: dict[str, bool]) -> Goal | None:
    return next((g for g in scenario.goals if not met.get(g.goal_id)), None)


def _reply(lines: list[Line]) -> PartnerReply:
    return PartnerReply(reply=" ".join(line.en for line in lines), reply_ko=" ".join(line.ko for line in lines))
