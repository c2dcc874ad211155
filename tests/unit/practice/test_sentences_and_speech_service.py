import json
import threading
from datetime import timedelta

import pytest
from chalicelib import service
from chalicelib.domain.levels import Level
from chalicelib.domain.sentences import Sentence
from chalicelib.domain.speech_jobs import TtsRequest, audio_id
from speaktracker.errors import Invalid, NotFound, Unavailable
from speaktracker.llm import ModelOutputInvalid

from .fakes import Clock, FakeSynthesizer, FakeWriter, make_practice, student


def generate(ctx, count=5, difficulty="중", topic="일상 대화", **options):
    return service.generate_sentences(
        ctx,
        options.pop("who", student()),
        difficulty,
        topic,
        count,
        options.pop("voice", None),
        options.pop("session_id", None),
    )


def test_generate_returns_sentences_at_once_and_queues_one_job_each():
    ctx = make_practice()
    made = generate(ctx)
    assert len(made.sentences) == 5 and made.source == "bank"
    assert all(p.sentence.level == Level.INTERMEDIATE and p.sentence.topic == "daily" for p in made.sentences)
    assert [r.job_id for r in ctx.tts_queue.sent] == [j.job_id for j in made.jobs]
    assert [r.position for r in ctx.tts_queue.sent] == [0, 1, 2, 3, 4]
    assert all(ctx.jobs.get(j.job_id).status == "PENDING" for j in made.jobs)
    assert made.session_id.startswith("gen-")
    assert ctx.synthesizer.calls == [] and ctx.tts_queue.delays == [0]  # nothing is synthesised on the request path


def test_sets_vary_and_served_sentences_wait_their_turn():
    ctx = make_practice()
    first = {p.sentence.key for p in generate(ctx).sentences}
    second = {p.sentence.key for p in generate(ctx).sentences}
    assert not first & second


def test_a_weak_sentence_comes_back_in_the_next_set():
    clock = Clock()
    ctx = make_practice(clock=clock)
    made = generate(ctx, difficulty="하", topic="여행")
    weak = made.sentences[2].sentence
    ctx.assessor.next = _assessment(45)
    service.evaluate_recording(ctx, student(), b"RIFF....WAVE", "audio/wav", "take.wav", weak.english, None)
    clock.advance(hours=1)
    again = generate(ctx, difficulty="beginner", topic="travel")
    assert again.sentences[0].sentence.english == weak.english and again.sentences[0].reason == "review"


def test_bad_generation_requests_are_clear():
    ctx = make_practice()
    for kwargs, code in (
        ({"difficulty": "expert"}, "UNKNOWN_DIFFICULTY"),
        ({"topic": "space"}, "UNKNOWN_TOPIC"),
        ({"count": 11}, "INVALID_COUNT"),
        ({"voice": "Robot"}, "UNKNOWN_VOICE"),
    ):
        with pytest.raises(Invalid) as caught:
            generate(ctx, **kwargs)
        assert caught.value.code == code


def test_the_model_writes_and_the_bank_tops_up():
    written = [
        Sentence("Could you pass me the salt?", "소금 좀 건네주시겠어요?", Level.INTERMEDIATE, "daily", "claude"),
        Sentence(
            "What time does the bakery open?", "빵집은 몇 시에 문을 열어요?", Level.INTERMEDIATE, "daily", "claude"
        ),
    ]
    writer = FakeWriter(written)
    ctx = make_practice(writer=writer)
    made = generate(ctx, count=4)
    assert made.source == "claude" and made.notice is None
    assert [p.sentence.source for p in made.sentences[:2]] == ["claude", "claude"]
    assert len(made.sentences) == 4 and writer.calls[0][:3] == (Level.INTERMEDIATE, "daily", 4)


@pytest.mark.parametrize("error", [ModelOutputInvalid("nonsense"), Unavailable("busy", "AI_UNAVAILABLE")])
def test_a_failing_model_falls_back_to_the_bank_and_says_so(error):
    ctx = make_practice(writer=FakeWriter(error=error))
    made = generate(ctx)
    assert made.source == "bank" and made.notice == error.code and len(made.sentences) == 5


def test_a_job_that_cannot_be_queued_is_failed_at_once():
    ctx = make_practice()
    ctx.tts_queue.refuse = {1}
    made = generate(ctx, count=3)
    assert [j.status for j in made.jobs] == ["PENDING", "FAILED", "PENDING"]
    assert ctx.jobs.get(made.jobs[1].job_id).reason
    ctx.tts_queue.refuse, ctx.tts_queue.down = set(), True
    assert {j.status for j in generate(ctx, count=2).jobs} == {"FAILED"}


# --- the first sentence's audio, made at generate time --------------------------------------------
class HeldSynthesizer(FakeSynthesizer):
    """A synthesis that waits until the test lets it finish: slower than any budget."""

    def __init__(self):
        super().__init__()
        self.release, self.started = threading.Event(), threading.Event()

    def synthesize(self, text, voice):
        self.started.set()
        assert self.release.wait(10)
        return super().synthesize(text, voice)


def test_generate_makes_the_first_audio_itself_and_queues_the_rest():
    ctx = make_practice(first_audio_budget=timedelta(seconds=2))
    made = generate(ctx)
    first, rest = made.jobs[0], made.jobs[1:]
    assert first.status == "COMPLETED" and all(j.status == "PENDING" for j in rest)
    assert ctx.synthesizer.calls == [(first.text, "Matthew")]
    stored = ctx.jobs.get(first.job_id)
    assert stored.status == "COMPLETED" and stored.notified and stored.audio_key in ctx.files.objects
    assert ctx.audio.get(audio_id("Matthew", first.text)).s3_key == stored.audio_key
    assert [r.job_id for r in ctx.tts_queue.sent] == [j.job_id for j in rest]  # its job is never queued
    assert ctx.tts_queue.delays == [ctx.first_audio_head_start] == [2]  # the rest give the first a head start
    assert [(e.type, e.job_id, e.status) for e in ctx.events.events] == [("tts_ready", first.job_id, "COMPLETED")]
    status, url = service.tts_status(ctx, student(), first.job_id)
    assert status.status == "COMPLETED" and url.startswith("https://files.example/tts/")


def test_a_first_sentence_already_in_the_library_is_not_made_again():
    ctx = make_practice(seed=3, first_audio_budget=timedelta(seconds=2))
    kims = generate(ctx).jobs
    ctx.rng.seed(3)
    made = generate(ctx, who=student("park@example.com")).jobs
    assert made[0].text == kims[0].text and made[0].audio_key == kims[0].audio_key
    assert len(ctx.synthesizer.calls) == 1


def test_a_synthesis_slower_than_the_budget_is_queued_and_finishes_its_job_when_made():
    ctx = make_practice(first_audio_budget=timedelta(milliseconds=50))
    ctx.synthesizer = HeldSynthesizer()
    made = generate(ctx, count=2)
    first = made.jobs[0]
    assert [j.status for j in made.jobs] == ["PENDING", "PENDING"]
    assert [r.job_id for r in ctx.tts_queue.sent] == [j.job_id for j in made.jobs]  # nothing lost
    assert ctx.tts_queue.delays == [2]  # the worker waits while the synthesis under way finishes
    assert ctx.synthesizer.started.wait(5) and ctx.events.events == []
    ctx.synthesizer.release.set()  # the synthesis generate stopped waiting for is made
    ctx.first_audio.shutdown()
    done = ctx.jobs.get(first.job_id)
    assert done.status == "COMPLETED" and done.notified and done.audio_key in ctx.files.objects
    assert [(e.job_id, e.status) for e in ctx.events.events] == [(first.job_id, "COMPLETED")]
    service.synthesize_sentence(ctx, message(ctx, first), 1)  # the queued message later finds it done
    assert ctx.synthesizer.calls == [(first.text, "Matthew")] and len(ctx.events.events) == 1


def test_a_late_first_audio_leaves_a_job_the_worker_finished_alone():
    ctx = make_practice(first_audio_budget=timedelta(milliseconds=50))
    held = ctx.synthesizer = HeldSynthesizer()
    made = generate(ctx, count=1)
    first = made.jobs[0]
    assert held.started.wait(5)
    ctx.synthesizer = FakeSynthesizer()  # the worker gets to the message first, with an engine of its own
    service.synthesize_sentence(ctx, message(ctx, first), 1)
    by_worker = ctx.jobs.get(first.job_id)
    held.release.set()
    ctx.first_audio.shutdown()
    assert ctx.jobs.get(first.job_id) == by_worker  # the late audio changes nothing
    assert [(e.job_id, e.status) for e in ctx.events.events] == [(first.job_id, "COMPLETED")]


def test_two_students_whose_first_sentence_is_being_made_share_one_synthesis():
    ctx = make_practice(seed=5, first_audio_budget=timedelta(seconds=5))
    held = ctx.synthesizer = HeldSynthesizer()
    asked, submit = threading.Semaphore(0), ctx.first_audio.submit
    ctx.first_audio.submit = lambda identity, make: (submit(identity, make), asked.release())[0]
    sets = {}
    kim = threading.Thread(target=lambda: sets.update(kim=generate(ctx)))
    kim.start()
    assert asked.acquire(timeout=5) and held.started.wait(5)
    ctx.rng.seed(5)  # park draws the same set while kim's first audio is being made
    park = threading.Thread(target=lambda: sets.update(park=generate(ctx, who=student("park@example.com"))))
    park.start()
    assert asked.acquire(timeout=5)  # park asked for it while it was under way
    held.release.set()
    kim.join(10)
    park.join(10)
    assert sets["kim"].jobs[0].text == sets["park"].jobs[0].text
    assert sets["kim"].jobs[0].status == sets["park"].jobs[0].status == "COMPLETED"
    assert held.calls == [(sets["kim"].jobs[0].text, "Matthew")]


def test_an_engine_error_at_generate_time_leaves_the_first_sentence_to_the_queue():
    ctx = make_practice(first_audio_budget=timedelta(seconds=2))
    ctx.synthesizer.failures_left = 1
    made = generate(ctx, count=2)
    assert [j.status for j in made.jobs] == ["PENDING", "PENDING"] and len(ctx.tts_queue.sent) == 2
    assert ctx.tts_queue.delays == [0]  # nothing under way: the worker makes it at once
    assert ctx.events.events == [] and ctx.files.objects == {}
    service.synthesize_sentence(ctx, message(ctx, made.jobs[0]), 1)
    assert ctx.jobs.get(made.jobs[0].job_id).status == "COMPLETED"


# --- the worker -----------------------------------------------------------------------------------
def message(ctx, job):
    [sent] = [r for r in ctx.tts_queue.sent if r.job_id == job.job_id]
    return sent.model_dump_json(by_alias=True, exclude_none=True)


def test_the_worker_synthesises_stores_and_announces():
    ctx = make_practice()
    job = generate(ctx, count=1).jobs[0]
    service.synthesize_sentence(ctx, message(ctx, job), receive_count=1)
    done = ctx.jobs.get(job.job_id)
    assert done.status == "COMPLETED" and done.audio_key.startswith("tts/") and done.notified
    assert done.audio_key in ctx.files.objects
    [event] = ctx.events.events
    assert (event.type, event.job_id, event.status, event.owner_email) == (
        "tts_ready",
        job.job_id,
        "COMPLETED",
        "kim@example.com",
    )
    status, url = service.tts_status(ctx, student(), job.job_id)
    assert status.status == "COMPLETED" and url.startswith("https://files.example/tts/")


def test_the_same_message_twice_synthesises_once_and_announces_once():
    ctx = make_practice()
    job = generate(ctx, count=1).jobs[0]
    body = message(ctx, job)
    service.synthesize_sentence(ctx, body, 1)
    service.synthesize_sentence(ctx, body, 2)
    assert len(ctx.synthesizer.calls) == 1 and len(ctx.events.events) == 1


def test_identical_text_and_voice_are_synthesised_once_across_jobs():
    ctx = make_practice()
    first = generate(ctx, count=1).jobs[0]
    service.synthesize_sentence(ctx, message(ctx, first), 1)
    twin = TtsRequest(jobId="tts-twin", ownerEmail="park@example.com", text=first.text, voiceId=first.voice)
    service.synthesize_sentence(ctx, twin.model_dump_json(by_alias=True), 1)
    other_voice = twin.model_copy(update={"job_id": "tts-joanna", "voice_id": "Joanna"})
    service.synthesize_sentence(ctx, other_voice.model_dump_json(by_alias=True), 1)
    assert ctx.synthesizer.calls == [(first.text, "Matthew"), (first.text, "Joanna")]
    assert ctx.jobs.get("tts-twin").audio_key == ctx.jobs.get(first.job_id).audio_key


def test_stale_audio_is_made_again():
    clock = Clock()
    ctx = make_practice(clock=clock)
    first = generate(ctx, count=1).jobs[0]
    service.synthesize_sentence(ctx, message(ctx, first), 1)
    clock.advance(days=6)
    again = TtsRequest(jobId="tts-later", ownerEmail="kim@example.com", text=first.text)
    service.synthesize_sentence(ctx, again.model_dump_json(by_alias=True), 1)
    assert len(ctx.synthesizer.calls) == 2
    assert ctx.audio.get(audio_id("Matthew", first.text)).created_at == ctx.jobs.get("tts-later").updated_at


def test_a_sentence_whose_audio_is_in_the_library_is_ready_at_generate_time():
    ctx = make_practice(seed=7)
    kims = generate(ctx).jobs
    for job in kims[:3]:
        service.synthesize_sentence(ctx, message(ctx, job), 1)
    ctx.tts_queue.sent.clear()
    ctx.events.events.clear()
    ctx.rng.seed(7)  # a new student with the same draw is offered the same five sentences
    made = generate(ctx, who=student("park@example.com")).jobs
    assert [j.text for j in made] == [j.text for j in kims]
    ready, queued = made[:3], made[3:]
    assert all(j.status == "COMPLETED" for j in ready) and all(j.status == "PENDING" for j in queued)
    assert [j.audio_key for j in ready] == [ctx.jobs.get(j.job_id).audio_key for j in kims[:3]]
    assert all(ctx.jobs.get(j.job_id).status == "COMPLETED" and ctx.jobs.get(j.job_id).notified for j in ready)
    assert [r.job_id for r in ctx.tts_queue.sent] == [j.job_id for j in queued]  # no queue round trip for those
    assert [(e.type, e.job_id, e.status) for e in ctx.events.events] == [
        ("tts_ready", j.job_id, "COMPLETED") for j in ready
    ]
    assert len(ctx.synthesizer.calls) == 3
    status, url = service.tts_status(ctx, student("park@example.com"), ready[0].job_id)
    assert status.status == "COMPLETED" and url.startswith("https://files.example/tts/")


def test_audio_past_reuse_is_not_served_at_generate_time():
    clock = Clock()
    ctx = make_practice(clock=clock)
    service.warm_sentence_audio(ctx)
    clock.advance(days=6)
    made = generate(ctx)
    assert all(j.status == "PENDING" for j in made.jobs) and len(ctx.tts_queue.sent) == 5


def test_warming_makes_the_banks_audio_once_and_generate_then_queues_nothing():
    ctx = make_practice()
    warmed = service.warm_sentence_audio(ctx)
    assert warmed.made == warmed.sentences == len(ctx.synthesizer.calls) > 100 and warmed.failed == 0
    assert {voice for _, voice in ctx.synthesizer.calls} == {"Matthew"}
    again = service.warm_sentence_audio(ctx)
    assert (again.sentences, again.made, again.failed) == (warmed.sentences, 0, 0)
    made = generate(ctx, difficulty="상", topic="여행")
    assert all(j.status == "COMPLETED" for j in made.jobs) and ctx.tts_queue.sent == []
    assert len(ctx.events.events) == 5 and len(ctx.synthesizer.calls) == warmed.made
    joanna = generate(ctx, voice="Joanna", who=student("park@example.com"))
    assert all(j.status == "PENDING" for j in joanna.jobs)  # only the voices warmed are ready


def test_a_failing_job_is_retried_then_ends_failed_with_a_reason():
    ctx = make_practice()
    job = generate(ctx, count=1).jobs[0]
    ctx.synthesizer.failures_left = 3
    body = message(ctx, job)
    for attempt in (1, 2):
        with pytest.raises(RuntimeError):
            service.synthesize_sentence(ctx, body, attempt)
        assert ctx.jobs.get(job.job_id).status == "PROCESSING"
    with pytest.raises(RuntimeError):  # the last receive: marked failed, then on to the dead-letter queue
        service.synthesize_sentence(ctx, body, 3)
    failed = ctx.jobs.get(job.job_id)
    assert failed.status == "FAILED" and "3 attempts" in failed.reason and failed.attempts == 3
    assert [e.status for e in ctx.events.events] == ["FAILED"]
    assert service.tts_status(ctx, student(), job.job_id)[0].reason == failed.reason


def test_a_job_recovers_on_a_later_attempt():
    ctx = make_practice()
    job = generate(ctx, count=1).jobs[0]
    ctx.synthesizer.failures_left = 1
    with pytest.raises(RuntimeError):
        service.synthesize_sentence(ctx, message(ctx, job), 1)
    service.synthesize_sentence(ctx, message(ctx, job), 2)
    assert ctx.jobs.get(job.job_id).status == "COMPLETED"


def test_a_lost_announcement_is_sent_on_redelivery():
    ctx = make_practice()
    job = generate(ctx, count=1).jobs[0]
    ctx.events.fail = True
    with pytest.raises(ConnectionError):
        service.synthesize_sentence(ctx, message(ctx, job), 1)
    ctx.events.fail = False
    service.synthesize_sentence(ctx, message(ctx, job), 2)
    assert len(ctx.synthesizer.calls) == 1 and [e.status for e in ctx.events.events] == ["COMPLETED"]


def test_a_job_from_another_context_creates_its_own_status_row():
    ctx = make_practice()
    body = json.dumps(
        {
            "jobId": "tts-conv-1",
            "ownerEmail": "kim@example.com",
            "text": "Nice to meet you.",
            "voiceId": "Joanna",
            "index": 0,
        }
    )
    service.synthesize_sentence(ctx, body, 1)
    assert ctx.jobs.get("tts-conv-1").status == "COMPLETED" and ctx.jobs.get("tts-conv-1").sentence_index == 0


def test_a_message_that_is_not_a_job_goes_to_the_dead_letter_queue():
    ctx = make_practice()
    for body in ('{"text": "hello"}', "not json", '{"jobId": "tts-1", "ownerEmail": 7, "text": "Hi"}'):
        with pytest.raises(service.MalformedTtsRequest):
            service.synthesize_sentence(ctx, body, 1)


@pytest.mark.parametrize("text", ["   ", "word " * 200])
def test_a_job_whose_text_cannot_be_spoken_fails_at_once_and_says_why(text):
    ctx = make_practice()
    body = json.dumps({"jobId": "tts-odd", "ownerEmail": "kim@example.com", "text": text})
    service.synthesize_sentence(ctx, body, 1)
    job = ctx.jobs.get("tts-odd")
    assert job.status == "FAILED" and job.reason.startswith("This cannot be spoken (text") and job.notified
    assert [(e.job_id, e.status) for e in ctx.events.events] == [("tts-odd", "FAILED")]
    service.synthesize_sentence(ctx, body, 2)
    assert len(ctx.events.events) == 1 and ctx.synthesizer.calls == []


def test_status_is_for_the_owner_only_and_never_pending_forever():
    clock = Clock()
    ctx = make_practice(clock=clock)
    job = generate(ctx, count=1).jobs[0]
    with pytest.raises(NotFound):
        service.tts_status(ctx, student("park@example.com"), job.job_id)
    with pytest.raises(NotFound):
        service.tts_status(ctx, student(), "tts-nope")
    assert service.tts_status(ctx, student(), job.job_id)[0].status == "PENDING"
    clock.advance(minutes=9)
    late, url = service.tts_status(ctx, student(), job.job_id)
    assert late.status == "FAILED" and late.reason and url is None


def _assessment(score):
    from .fakes import assessment

    return assessment(score)


def test_tts_request_accepts_the_seed_shape():
    request = TtsRequest.model_validate(
        {
            "jobId": "tts-1",
            "ownerEmail": "a@b.co",
            "text": " Hi ",
            "voiceId": "Matthew",
            "sessionId": "sess-uuid",
            "index": 0,
        }
    )
    assert (request.text, request.position) == ("Hi", 0)
