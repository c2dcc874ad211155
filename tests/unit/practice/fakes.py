"""In-memory stand-ins for practice's ports, with the behaviour the real adapters promise (conditional
transitions, one-transaction counters, newest link change wins)."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from chalicelib.domain.days import parse_iso
from chalicelib.domain.progress import DayStats, PhonemeScore, ResultDigest, StatsDelta, WordScore
from chalicelib.domain.sessions import SessionChanged
from chalicelib.ports import Assessment, Page, Speech
from chalicelib.service import Practice
from speaktracker.auth import Principal
from speaktracker.errors import Conflict, PayloadTooLarge
from support.erasure_fakes import ErasureSpy, PrefixErasing
from support.student_handles import FakeStudentHandles, FakeTutorLinks


class Clock:
    def __init__(self, start: datetime = datetime(2025, 1, 30, 9, 0, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


class FakeStatistics:
    def __init__(self):
        self.rows: dict[tuple[str, date], dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.erased: dict[str, datetime] = {}

    def mark_erased(self, student, erased_at):
        self.erased[student] = erased_at

    def add(self, student, day, delta: StatsDelta):
        for name, value in delta.counters().items():
            self.rows[(student, day)][name] += value
        self.rows[(student, day)]  # a day with nothing added still exists, as with SET updatedAt

    def add_conversation_turn(self, student, day, request_id, speaking_seconds, occurred_at):
        if self.erased.get(student) and self.erased[student] >= occurred_at:
            return False
        counted = self.rows[(student, day)].setdefault("requests", set())
        if request_id in counted:
            return False
        counted.add(request_id)
        self.rows[(student, day)]["conversationTurns"] += 1
        self.rows[(student, day)]["totalSpeakingTime"] += speaking_seconds
        return True

    def days(self, student, start, end):
        return [
            DayStats(
                day,
                int(c.get("practiceCount", 0)),
                int(c.get("totalDuration", 0)),
                int(c.get("totalSpeakingTime", 0)),
                int(c.get("evaluationCount", 0)),
                float(c.get("scoreTotal", 0)),
                int(c.get("conversationTurns", 0)),
            )
            for (who, day), c in sorted(self.rows.items(), key=lambda kv: kv[0][1])
            if who == student and start <= day <= end
        ]


class FakeSessions:
    def __init__(self, statistics: FakeStatistics):
        self.rows = {}
        self.statistics = statistics
        self.speech_during_close = 0  # simulate speech arriving between read and close

    def add(self, session):
        assert (session.student_email, session.session_id) not in self.rows
        self.rows[(session.student_email, session.session_id)] = session

    def get(self, student, session_id):
        return self.rows.get((student, session_id))

    def close(self, session, day, delta):
        current = self.rows[(session.student_email, session.session_id)]
        if self.speech_during_close:
            self.add_speech(session.student_email, session.session_id, self.speech_during_close)
            self.speech_during_close = 0
            current = self.rows[(session.student_email, session.session_id)]
        if current.status == "ENDED":
            raise Conflict("ended", "SESSION_ALREADY_ENDED")
        if current.speaking_ms != session.speaking_ms:
            raise SessionChanged("changed")
        self.rows[(session.student_email, session.session_id)] = session
        self.statistics.add(session.student_email, day, delta)

    def between(self, student, start, end):
        return sorted(
            (s for (who, _), s in self.rows.items() if who == student and start <= s.started_at < end),
            key=lambda s: s.session_id,
        )

    def latest(self, student):
        mine = sorted((s for (who, _), s in self.rows.items() if who == student), key=lambda s: s.session_id)
        return mine[-1] if mine else None

    def add_speech(self, student, session_id, speaking_ms):
        session = self.rows.get((student, session_id))
        if session is None or session.status != "OPEN":
            return False
        self.rows[(student, session_id)] = replace(
            session, speaking_ms=session.speaking_ms + speaking_ms, evaluation_count=session.evaluation_count + 1
        )
        return True


class FakeResults:
    def __init__(self, statistics: FakeStatistics):
        self.rows = []
        self.statistics = statistics

    def add(self, result, day, delta):
        self.rows.append(result)
        self.statistics.add(result.student_email, day, delta)

    def page(self, student, cursor, limit, caller):
        mine = sorted((r for r in self.rows if r.student_email == student), key=lambda r: r.result_id, reverse=True)
        start = int(cursor or 0)
        chunk = mine[start : start + limit]
        more = start + limit < len(mine)
        return Page(
            [{"resultId": r.result_id, "overallScore": r.assessment.overall_score} for r in chunk],
            str(start + limit) if more else None,
        )

    def recent(self, student, limit):
        mine = sorted((r for r in self.rows if r.student_email == student), key=lambda r: r.result_id, reverse=True)[
            :limit
        ]
        return [replace(r.assessment.digest, topic=r.topic, level=r.level) for r in mine]


class FakeMastery:
    def __init__(self):
        self.rows = {}

    def all_for(self, student):
        return [r for (who, _), r in self.rows.items() if who == student]

    def get(self, student, key):
        return self.rows.get((student, key))

    def save(self, record):
        self.rows[(record.student_email, record.sentence_key)] = record


class FakeSets:
    """One write of a set's jobs and records, into the fakes that read them."""

    def __init__(self, jobs, mastery):
        self.jobs, self.mastery = jobs, mastery

    def add(self, jobs, served):
        for job in jobs:
            self.jobs.rows[job.job_id] = job
        for record in served:
            self.mastery.save(record)


class FakeJobs:
    def __init__(self):
        self.rows = {}

    def add_if_absent(self, job):
        return self.rows.setdefault(job.job_id, job)

    def get(self, job_id):
        return self.rows.get(job_id)

    def start(self, job_id, now):
        job = self.rows[job_id]
        if job.finished:
            return False
        self.rows[job_id] = replace(job, status="PROCESSING", attempts=job.attempts + 1)
        return True

    def finish(self, job):
        current = self.rows.get(job.job_id)
        if current is None or current.finished:
            return False
        self.rows[job.job_id] = replace(job, attempts=current.attempts, notified=current.notified)
        return True

    def mark_notified(self, job_id):
        self.rows[job_id] = replace(self.rows[job_id], notified=True)


class FakeAudio:
    def __init__(self):
        self.rows = {}

    def get(self, audio_id):
        return self.rows.get(audio_id)

    def get_all(self, audio_ids):
        return {a: self.rows[a] for a in audio_ids if a in self.rows}

    def add(self, audio, replacing_before=None):
        current = self.rows.get(audio.audio_id)
        if current is not None and current.reusable_at(replacing_before or parse_iso(audio.created_at)):
            return current
        self.rows[audio.audio_id] = audio
        return audio


class FakeFiles(PrefixErasing):
    def __init__(self):
        self.objects: dict[str, tuple[bytes, str]] = {}

    def put(self, key, data, content_type):
        self.objects[key] = (data, content_type)

    def read(self, key, max_bytes):
        if key not in self.objects:
            return None
        if len(self.objects[key][0]) > max_bytes:
            raise PayloadTooLarge("too large", "RECORDING_TOO_LARGE")
        return self.objects[key]

    def presign_download(self, key):
        return f"https://files.example/{key}?signature=x"

    def presign_upload(self, key, content_type, max_bytes):
        return {"method": "POST", "url": "https://files.example/", "fields": {"key": key, "Content-Type": content_type}}


class FakeQueue:
    def __init__(self):
        self.sent = []
        self.delays = []  # each call's delay_seconds
        self.refuse: set[int] = set()  # positions (in the next call) that fail
        self.down = False

    def enqueue(self, requests, delay_seconds=0):
        self.delays.append(delay_seconds)
        if self.down:
            raise ConnectionError("queue unreachable")
        failed = [r.job_id for i, r in enumerate(requests) if i in self.refuse]
        self.sent += [r for r in requests if r.job_id not in failed]
        return failed


class FakeSynthesizer:
    def __init__(self):
        self.calls = []
        self.failures_left = 0

    def synthesize(self, text, voice):
        self.calls.append((text, voice))
        if self.failures_left:
            self.failures_left -= 1
            raise RuntimeError("engine crashed")
        return Speech(f"RIFF{text}".encode(), "audio/wav", "wav", 100 * len(text.split()))


def assessment(
    score=90.0, words=(("how", 92.0, (("HH", 90.0), ("AW", 94.0))),), missed=(), duration_ms=2500, grade="A"
) -> Assessment:
    digest = ResultDigest(
        score,
        tuple(WordScore(w, s, tuple(PhonemeScore(p, ps) for p, ps in phones)) for w, s, phones in words),
        tuple(missed),
    )
    payload = {
        "overallScore": score,
        "grade": grade,
        "feedback": "Good",
        "transcribedText": "how",
        "missedWords": list(missed),
        "extraWords": [],
        "words": [],
    }
    return Assessment(payload, score, grade, duration_ms, digest)


class FakeAssessor:
    def __init__(self):
        self.next = assessment()
        self.calls = []

    def assess(self, audio, original_text, content_type):
        self.calls.append((audio, original_text, content_type))
        if isinstance(self.next, Exception):
            raise self.next
        return self.next


class FakeWriter:
    """A stand-in for Claude: writes what it is told to, or fails as told."""

    name = "claude"

    def __init__(self, sentences=None, error: Exception | None = None):
        self.sentences, self.error, self.calls = sentences or [], error, []

    def write(self, level, topic, count, avoid):
        self.calls.append((level, topic, count, list(avoid)))
        if self.error:
            raise self.error
        return list(self.sentences)


class FakePublisher:
    def __init__(self):
        self.events = []
        self.fail = False

    def publish(self, event):
        if self.fail:
            raise ConnectionError("topic unreachable")
        self.events.append(event)

    def publish_all(self, events):
        for event in events:
            self.publish(event)


def student(email="kim@example.com", user_id="sub-kim") -> Principal:
    return Principal(user_id=user_id, email=email, role="student")


def tutor(email="lee@example.com") -> Principal:
    return Principal(user_id="sub-" + email, email=email, role="tutor")


def make_practice(
    writer=None, clock=None, seed=7, first_audio_budget=timedelta(0), first_audio_head_start=2
) -> Practice:
    from chalicelib.adapters.sentence_bank import BankSentenceWriter, load_bank

    statistics = FakeStatistics()
    bank = BankSentenceWriter(load_bank())
    jobs, records = FakeJobs(), FakeMastery()
    return Practice(
        sessions=FakeSessions(statistics),
        statistics=statistics,
        results=FakeResults(statistics),
        mastery=records,
        links=FakeTutorLinks(),
        jobs=jobs,
        sets=FakeSets(jobs, records),
        audio=FakeAudio(),
        files=FakeFiles(),
        tts_queue=FakeQueue(),
        synthesizer=FakeSynthesizer(),
        assessor=FakeAssessor(),
        writer=writer or bank,
        bank=bank,
        events=FakePublisher(),
        erasure=ErasureSpy(),
        handles=FakeStudentHandles(),
        tts_max_receive_count=3,
        tts_deadline=timedelta(minutes=8),
        first_audio_budget=first_audio_budget,
        first_audio_head_start=first_audio_head_start,
        clock=clock or Clock(),
        rng=random.Random(seed),
    )
