import random
from collections import Counter

import pytest
from chalicelib.adapters.sentence_bank import load_bank
from chalicelib.domain.levels import TOPICS, Level, normalise_difficulty, normalise_topic
from chalicelib.domain.sentences import sentence_key, with_particle
from speaktracker.errors import Invalid


@pytest.mark.parametrize(
    "raw, level",
    [
        ("하", Level.BEGINNER),
        ("중", Level.INTERMEDIATE),
        ("상", Level.ADVANCED),
        ("초급", Level.BEGINNER),
        ("중급", Level.INTERMEDIATE),
        ("고급", Level.ADVANCED),
        ("Beginner", Level.BEGINNER),
        ("intermediate", Level.INTERMEDIATE),
        (" ADVANCED ", Level.ADVANCED),
        ("easy", Level.BEGINNER),
        ("medium", Level.INTERMEDIATE),
        ("hard", Level.ADVANCED),
        (None, Level.BEGINNER),
    ],
)
def test_difficulty_in_korean_or_english(raw, level):
    assert normalise_difficulty(raw) == level


@pytest.mark.parametrize(
    "raw, topic",
    [
        ("일상 대화", "daily"),
        ("일상대화", "daily"),
        ("여행", "travel"),
        ("식당", "food"),
        ("음식", "food"),
        ("쇼핑", "shopping"),
        ("직장", "work"),
        ("비즈니스", "work"),
        ("학교", "school"),
        ("건강", "health"),
        ("병원", "health"),
        ("취미", "hobbies"),
        ("daily conversation", "daily"),
        ("Travel", "travel"),
        ("hobbies", "hobbies"),
        ("small-talk", "daily"),
        (None, "daily"),
    ],
)
def test_topic_in_korean_or_english(raw, topic):
    assert normalise_topic(raw) == topic


def test_unknown_level_and_topic_say_what_is_accepted():
    with pytest.raises(Invalid) as level:
        normalise_difficulty("expert")
    with pytest.raises(Invalid) as topic:
        normalise_topic("우주 여행")
    assert level.value.code == "UNKNOWN_DIFFICULTY" and topic.value.code == "UNKNOWN_TOPIC"
    assert {t["key"] for t in topic.value.details["accepted"]} == set(TOPICS)


@pytest.mark.parametrize(
    "word, particle, expected",
    [
        ("커피 한 잔", "을", "커피 한 잔을"),
        ("녹차", "을", "녹차를"),
        ("머리", "이", "머리가"),
        ("무릎", "가", "무릎이"),
        ("이 재킷", "은", "이 재킷은"),
        ("이 시계", "은", "이 시계는"),
        ("검은색", "으로", "검은색으로"),
        ("베이지색", "로", "베이지색으로"),
        ("지하철", "으로", "지하철로"),
        ("버스", "으로", "버스로"),
        ("수학", "이에요", "수학이에요"),
        ("역사", "이에요", "역사예요"),
        ("10시", "을", "10시를"),
    ],
)
def test_korean_particles_follow_the_last_syllable(word, particle, expected):
    assert with_particle(word, particle) == expected


def test_sentence_key_ignores_case_spacing_and_final_punctuation():
    assert sentence_key("How was your day?") == sentence_key("  how  was your day ")
    assert sentence_key("I'm fine.") == sentence_key("I’m fine")
    assert sentence_key("How was your day?") != sentence_key("How was your night?")


def test_the_bank_covers_every_topic_and_level_with_variety():
    bank = load_bank()
    for topic in TOPICS:
        for level in Level:
            candidates = bank.candidates(level, topic)
            fixed = [s for s in candidates if s.source == "bank"]
            assert len(fixed) >= 10, (topic, level)
            assert len({s.key for s in candidates}) == len(candidates), (topic, level)
            assert all(s.korean and any("가" <= c <= "힣" for c in s.korean) for s in candidates)
    assert sum(1 for s in bank.sentences) >= 240
    assert len(bank.templates) >= 20


def test_templates_fill_slots_with_their_own_translations_and_particles():
    bank = load_bank()
    health = {s.english: s.korean for s in bank.candidates(Level.BEGINNER, "health") if s.source == "template"}
    assert health["My knee hurts."] == "무릎이 아파요."
    assert health["My head hurts."] == "머리가 아파요."
    shopping = {s.english: s.korean for s in bank.candidates(Level.BEGINNER, "shopping") if s.source == "template"}
    assert shopping["How much is this watch?"] == "이 시계는 얼마예요?"
    assert shopping["Do you have this jacket in black?"] == "이 재킷 검은색으로 있어요?"
    school = {s.english: s.korean for s in bank.candidates(Level.BEGINNER, "school") if s.source == "template"}
    assert school["My favorite subject is history."] == "제가 가장 좋아하는 과목은 역사예요."
    assert all("{" not in s.english + s.korean for level in Level for t in TOPICS for s in bank.candidates(level, t))


def test_levels_differ_in_length():
    bank = load_bank()
    average = {
        level: sum(len(s.english.split()) for s in bank.sentences if s.level == level)
        / sum(1 for s in bank.sentences if s.level == level)
        for level in Level
    }
    assert average[Level.BEGINNER] < average[Level.INTERMEDIATE] < average[Level.ADVANCED]


def test_bank_data_mistakes_fail_loudly():
    from chalicelib.domain.sentences import SentenceBank

    with pytest.raises(ValueError):
        SentenceBank.from_data({"sentences": {"space": {"beginner": [["Hi", "안녕"]]}}})
    with pytest.raises(ValueError):
        SentenceBank.from_data(
            {
                "sentences": {},
                "templates": [
                    {
                        "topic": "daily",
                        "levels": ["beginner"],
                        "english": "I like {fruit}.",
                        "korean": "{fruit:을} 좋아해요.",
                    }
                ],
            }
        )


def test_shuffled_candidates_vary_between_students():
    bank = load_bank()
    firsts = Counter()
    for seed in range(30):
        candidates = bank.candidates(Level.INTERMEDIATE, "travel")
        random.Random(seed).shuffle(candidates)
        firsts[candidates[0].english] += 1
    assert len(firsts) > 5
