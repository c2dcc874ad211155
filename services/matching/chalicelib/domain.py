"""Matching rules: who may ask whom, how a request moves, a tutor's capacity, and how names are searched.

No IO here. The adapters persist what these rules decide; the conditions they write enforce the same rules
under concurrency (see adapters/dynamodb.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from speaktracker.errors import Conflict, Invalid
from speaktracker.events import shown_to_tutor


def timestamp(moment: datetime) -> str:
    """UTC to the millisecond with a Z, so that stored times sort as text (requests, links, the outbox)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


RequestStatus = Literal["PENDING", "APPROVED", "REJECTED", "CANCELLED"]
REQUEST_STATUSES: tuple[RequestStatus, ...] = ("PENDING", "APPROVED", "REJECTED", "CANCELLED")

DEFAULT_MAX_STUDENTS = 10
MAX_STUDENTS_LIMIT = 100
MESSAGE_MAX_CHARS = 1000
REASON_MAX_CHARS = 500
INTRO_MAX_CHARS = 1000
SEARCH_MAX_CHARS = 80
MAX_SEARCH_WORDS = 4  # later words of a name that a search also finds: "Maria de la Cruz Santos" -> 4

# Every tutor lives in one search partition. Matching's tutor count (thousands) is far below what one GSI
# partition serves; the attribute is a shard so that the key can be split later without a new index.
SEARCH_SHARD = "tutors"

_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"^[^@\s#]+@[^@\s#]+\.[^@\s#]+$")


def normalise_email(raw: str) -> str:
    email = raw.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise Invalid("That is not a valid email address.", "INVALID_EMAIL")
    return email


def normalise_name(name: str) -> str:
    """The searchable form of a name: NFC (so composed Hangul syllables compare by prefix), case-folded,
    single-spaced, without the '#' that separates the name from the email in a name key."""
    folded = unicodedata.normalize("NFC", name).casefold().replace("#", " ")
    return unicodedata.normalize("NFC", _SPACES.sub(" ", folded).strip())


def search_keys(name: str, email: str) -> list[str]:
    """The range keys under which a tutor is found: the whole name, then the name from each later word on
    (so "smi" finds John Smith). Each ends with the email, so that equal names stay distinct."""
    words = normalise_name(name).split(" ")
    later = range(1, min(len(words), MAX_SEARCH_WORDS + 1))
    return [f"{' '.join(words[start:])}#{email}" for start in (0, *later)]


def name_key(name: str, email: str) -> str:
    """The whole-name search key, which also orders the tutor list."""
    return search_keys(name, email)[0]


def finding_key(name: str, email: str, prefix: str) -> int | None:
    """Which of a tutor's search keys answers a search: the first that matches, so a tutor whose name
    matches twice ("Sam Smith" for "s") is listed once, at the same place on every page."""
    for position, key in enumerate(search_keys(name, email)):
        if key.startswith(prefix):
            return position
    return None


def search_prefix(search: str | None) -> str:
    """What a name key must begin with to match a search; '' matches every tutor."""
    return normalise_name(search or "")


@dataclass(frozen=True)
class Tutor:
    """Matching's view of a tutor: their public profile and their capacity."""

    email: str
    name: str
    intro: str = ""
    is_accepting: bool = True
    max_students: int = DEFAULT_MAX_STUDENTS
    student_count: int = 0
    revision: int = 0  # bumped by every write that changes capacity, so racing writers notice each other

    @property
    def has_free_seat(self) -> bool:
        return self.student_count < self.max_students

    @property
    def is_open(self) -> bool:
        """Whether students can find and ask this tutor: accepting and with a free seat."""
        return self.is_accepting and self.has_free_seat

    def ensure_takes_requests(self) -> None:
        if not self.is_accepting:
            raise Conflict(f"{self.name} is not accepting new students right now.", "TUTOR_NOT_ACCEPTING")
        if not self.has_free_seat:
            raise Conflict(f"{self.name} has no free place for a new student.", "TUTOR_FULL")

    def with_student_added(self) -> Tutor:
        """A tutor has at most maxStudents students."""
        if not self.has_free_seat:
            raise Conflict(
                f"All {self.max_students} places are taken; end a link or raise maxStudents first.", "TUTOR_FULL"
            )
        return replace(self, student_count=self.student_count + 1, revision=self.revision + 1)

    def with_student_removed(self) -> Tutor:
        return replace(self, student_count=max(0, self.student_count - 1), revision=self.revision + 1)

    def renamed(self, name: str, intro: str | None) -> Tutor:
        """A new name moves the tutor's search keys, which other writers rely on: it is a new revision."""
        return replace(self, name=name, intro=self.intro if intro is None else intro, revision=self.revision + 1)

    def with_settings(self, is_accepting: bool | None, max_students: int | None, intro: str | None) -> Tutor:
        if max_students is not None:
            check_max_students(max_students)
            if max_students < self.student_count:
                raise Conflict(
                    f"You teach {self.student_count} students; maxStudents cannot be lower.",
                    "MAX_BELOW_STUDENT_COUNT",
                    {"studentCount": self.student_count},
                )
        return replace(
            self,
            revision=self.revision + 1,
            is_accepting=self.is_accepting if is_accepting is None else is_accepting,
            max_students=self.max_students if max_students is None else max_students,
            intro=self.intro if intro is None else intro,
        )


def check_max_students(value: int) -> None:
    if not 1 <= value <= MAX_STUDENTS_LIMIT:
        raise Invalid(f"maxStudents must be between 1 and {MAX_STUDENTS_LIMIT}.", "INVALID_MAX_STUDENTS")


@dataclass(frozen=True)
class Student:
    """Matching's view of a student: their name (for their tutor), their one tutor and their live state."""

    email: str
    name: str = ""
    tutor_email: str | None = None
    room: str | None = None
    is_learning: bool = False
    status_updated_at: str | None = None
    handle: str | None = None  # a child's: what their tutor sees instead of the email

    @property
    def display_name(self) -> str:
        return self.name or shown_to_tutor(self.email, self.handle)

    def ensure_has_no_tutor(self) -> None:
        """A student learns with one tutor at a time."""
        if self.tutor_email:
            raise Conflict("You already have a tutor; end that link before asking another.", "ALREADY_HAS_TUTOR")


@dataclass(frozen=True)
class MatchRequest:
    request_id: str
    student_email: str
    tutor_email: str
    status: RequestStatus
    message: str
    created_at: str
    student_name: str = ""
    tutor_name: str = ""
    reason: str | None = None
    processed_at: str | None = None
    student_handle: str | None = None

    @property
    def student_for_tutor(self) -> str:
        return shown_to_tutor(self.student_email, self.student_handle)

    @property
    def tutor_email_status(self) -> str:
        return tutor_email_status(self.tutor_email, self.status)

    def ensure_pending(self) -> None:
        if self.status != "PENDING":
            raise Conflict(
                f"This request is already {self.status.lower()}.", "REQUEST_NOT_PENDING", {"status": self.status}
            )

    def decided(self, status: RequestStatus, at: str, reason: str | None = None) -> MatchRequest:
        self.ensure_pending()
        return replace(self, status=status, processed_at=at, reason=reason)


def tutor_email_status(tutor_email: str, status: RequestStatus) -> str:
    return f"{tutor_email}#{status}"


_REQUEST_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_request_id(value: str) -> bool:
    """Request ids are UUIDs; anything else (a guard's key, a 3 kB string) names no request."""
    return bool(_REQUEST_ID.match(value))


def pair_guard_id(student_email: str, tutor_email: str) -> str:
    """The key of the item that exists exactly while a pair has a pending request."""
    return f"PAIR#{student_email}#{tutor_email}"


def check_request_message(message: str) -> str:
    text = message.strip()
    if len(text) > MESSAGE_MAX_CHARS:
        raise Invalid(f"A message is at most {MESSAGE_MAX_CHARS} characters.", "MESSAGE_TOO_LONG")
    return text


def check_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise Invalid("Tell the student why, in a few words.", "REASON_REQUIRED")
    if len(text) > REASON_MAX_CHARS:
        raise Invalid(f"A reason is at most {REASON_MAX_CHARS} characters.", "REASON_TOO_LONG")
    return text


@dataclass(frozen=True)
class TutorStudentLink:
    tutor_email: str
    student_email: str
    assigned_at: str
    request_id: str
    student_name: str = ""
    room: str | None = None
    is_learning: bool = False
    status_updated_at: str | None = None
    student_handle: str | None = None

    @property
    def student_for_tutor(self) -> str:
        return shown_to_tutor(self.student_email, self.student_handle)
