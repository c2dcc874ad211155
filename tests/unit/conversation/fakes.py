"""In-memory stand-ins for conversation's ports, with the behaviour the real adapters promise (the pending
request guard, one-transaction turn completion, conditional request transitions, newest link change wins)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chalicelib.adapters.scripted import ScriptedCoach, ScriptedPartner
from chalicelib.adapters.speech import DictionaryWords
from chalicelib.domain.conversation import Conversation, ReplyRequest, Turn, parse_iso
from chalicelib.domain.scenarios import Catalogue
from chalicelib.ports import Heard, Page, Voice
from chalicelib.service import Conversations
from speaktracker.auth import Principal
from speaktracker.errors import Conflict, Invalid, Unavailable
from support.erasure_fakes import ErasureSpy, PrefixErasing
from support.student_handles import FakeStudentHandles, FakeTutorLinks

STUDENT = Principal("sub-minji", "minji@example.com", "student")
OTHER = Principal("sub-other", "other@example.com", "student")
TUTOR = Principal("sub-tutor", "tutor@example.com", "tutor")


class Clock:
    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


class FakeStore:
    def __init__(self):
        self.conversations: dict[str, Conversation] = {}
        self.turn_rows: dict[str, dict[int, Turn]] = {}
        self.requests: dict[str, ReplyRequest] = {}

    def start(self, conversation, opener):
        assert conversation.conversation_id not in self.conversations
        self.conversations[conversation.conversation_id] = conversation
        self.turn_rows[conversation.conversation_id] = {0: opener}

    def get(self, conversation_id):
        return self.conversations.get(conversation_id)

    def turns(self, conversation_id):
        return [t for _, t in sorted(self.turn_rows.get(conversation_id, {}).items())]

    def page(self, student_email, cursor, limit, caller):
        mine = sorted(
            (c for c in self.conversations.values() if c.student_email == student_email),
            key=lambda c: c.started_at,
            reverse=True,
        )
        start = int(cursor or 0)
        rest = mine[start + limit :]
        return Page(mine[start : start + limit], str(start + limit) if rest else None)

    def open_request(self, conversation, request, stale_before):
        current = self.conversations[conversation.conversation_id]
        current.check_can_take_message()
        if current.pending_request_id and parse_iso(current.pending_since) >= stale_before:
            raise Conflict("busy", "REPLY_IN_PROGRESS")
        assert request.request_id not in self.requests
        self.conversations[current.conversation_id] = replace(
            current, pending_request_id=request.request_id, pending_since=request.created_at
        )
        self.requests[request.request_id] = request

    def get_request(self, request_id):
        return self.requests.get(request_id)

    def complete_turn(self, request, turn, last_message):
        conversation = self.conversations[request.conversation_id]
        stored = self.requests[request.request_id]
        if (
            stored.status != "PROCESSING"
            or conversation.pending_request_id != request.request_id
            or turn.index in self.turn_rows[request.conversation_id]
            or conversation.turn_count != turn.index - 1
        ):
            return False
        self.turn_rows[request.conversation_id][turn.index] = turn
        self.conversations[conversation.conversation_id] = replace(
            conversation, turn_count=turn.index, last_message=last_message, pending_request_id=None, pending_since=None
        )
        self.requests[request.request_id] = replace(stored, status="COMPLETED", turn_index=turn.index)
        return True

    def fail_request(self, request):
        stored = self.requests[request.request_id]
        if stored.status != "PROCESSING":
            return False
        self.requests[request.request_id] = replace(
            stored, status="FAILED", reason=request.reason, reason_code=request.reason_code
        )
        conversation = self.conversations[request.conversation_id]
        if conversation.pending_request_id == request.request_id:
            self.conversations[conversation.conversation_id] = replace(
                conversation, pending_request_id=None, pending_since=None
            )
        return True

    def mark_notified(self, request_id):
        self.requests[request_id] = replace(self.requests[request_id], notified=True)

    def save_feedback(self, request_id, conversation_id, index, feedback):
        turns = self.turn_rows[conversation_id]
        turns[index] = replace(turns[index], feedback=feedback)
        self.requests[request_id] = replace(self.requests[request_id], feedback_done=True)

    def end(self, conversation, report, ended_at):
        current = self.conversations[conversation.conversation_id]
        if current.status == "ACTIVE":
            current = replace(current, status="ENDED", report=report, ended_at=ended_at)
            self.conversations[current.conversation_id] = current
        return current


class FakeQueue:
    def __init__(self):
        self.sent: list[tuple[ReplyRequest, str]] = []
        self.refuse = False

    def send(self, request, step="reply"):
        if self.refuse:
            raise ConnectionError("queue down")
        self.sent.append((request, step))

    def body(self, index=-1):
        r, step = self.sent[index]
        return f'{{"requestId": "{r.request_id}", "conversationId": "{r.conversation_id}", "step": "{step}"}}'

    def reply_body(self):
        """The last reply message (what SQS would redeliver)."""
        return self.body(max(i for i, (_, step) in enumerate(self.sent) if step == "reply"))


class FakeRecordings(PrefixErasing):
    def __init__(self):
        self.objects: dict[str, tuple[bytes, str]] = {}
        self.puts = 0

    def put(self, key, data, content_type):
        self.puts += 1
        self.objects[key] = (data, content_type)

    def read(self, key, max_bytes):
        return self.objects.get(key)

    def exists(self, key):
        return key in self.objects

    def delete(self, key):
        self.objects.pop(key, None)

    def presign_download(self, key):
        return f"https://bucket.example/{key}?signed"


class FakeEars:
    """Audio is b"say:<words>"; b"silence" is refused as the engine refuses silent recordings."""

    def __init__(self):
        self.failures = 0

    def check(self, audio):
        from speaktracker.errors import Unprocessable

        if audio == b"silence":
            raise Unprocessable("The recording is silent.", "AUDIO_SILENT")
        if not audio.startswith(b"say:"):
            raise Invalid("undecodable", "AUDIO_UNDECODABLE")
        return 1000 * len(audio.split()) // 2

    def hear(self, audio, content_type):
        if self.failures:
            self.failures -= 1
            raise Unavailable("The speech engine failed; please try again.", "SPEECH_ENGINE_FAILED")
        return Heard(audio[4:].decode(), self.check(audio))


class FakeMouth:
    voice, extension = "en-us+m3", "wav"

    def __init__(self):
        self.spoken: list[str] = []

    def speak(self, text):
        self.spoken.append(text)
        return Voice(b"RIFF" + text.encode(), "audio/wav", "wav")


class FakeScorer:
    def score(self, audio, heard_text, content_type):
        return {
            "overallScore": 80.0,
            "accuracyScore": 78.0,
            "fluencyScore": 70.0,
            "words": [{"word": w, "score": 80.0, "errorType": "none"} for w in heard_text.split()],
            "weakestSounds": [{"phoneme": "TH", "ipa": "θ", "score": 41.0}],
        }


class FakeEvents:
    def __init__(self):
        self.published = []
        self.fail_next = 0

    def publish(self, event):
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("topic down")
        self.published.append(event)

    def of(self, kind):
        return [e for e in self.published if e.type == kind]


WORDS = DictionaryWords()  # the speech engine's pronunciation dictionary, read once


def make_context(**overrides) -> Conversations:
    scripted = ScriptedPartner()
    values = dict(
        store=FakeStore(),
        queue=FakeQueue(),
        recordings=FakeRecordings(),
        ears=FakeEars(),
        mouth=FakeMouth(),
        scorer=FakeScorer(),
        partner=scripted,
        coach=ScriptedCoach(WORDS),
        fallback=scripted,
        catalogue=Catalogue.load(),
        links=FakeTutorLinks(),
        events=FakeEvents(),
        erasure=ErasureSpy(),
        handles=FakeStudentHandles(),
        clock=Clock(),
    )
    values.update(overrides)
    return Conversations(**values)
