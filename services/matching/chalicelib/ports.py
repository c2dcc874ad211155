"""What matching's use cases need from the outside world, as small protocols.

Writes that can race are conditional: an adapter raises ``TutorChanged`` when the tutor it read has changed
capacity meanwhile (the use case reads again and decides afresh), and a ``Conflict`` with a code for every
other lost race. Nothing is ever half-written.

Each write that changes a request or a link also stages the ``TutorMatch`` event announcing it, in the same
transaction (a transactional outbox): the event is published after the commit and removed from the
``Outbox`` once published, and the relay publishes whatever a failed publish left behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from speaktracker.errors import Conflict
from speaktracker.events import Event, TutorMatch

from .domain import MatchRequest, RequestStatus, Student, Tutor, TutorStudentLink

T = TypeVar("T")


class TutorChanged(Conflict):
    """The tutor's capacity or settings changed between our read and our write."""

    def __init__(self) -> None:
        super().__init__("The tutor's places changed while we were working; try again.", "TUTOR_CHANGED")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursor: str | None


class Tutors(Protocol):
    def get(self, email: str) -> Tutor | None: ...

    def search(self, prefix: str, open_only: bool, cursor: str | None, limit: int, caller: str) -> Page[Tutor]:
        """Tutors whose normalised name begins with ``prefix``, in name order; with ``open_only`` only those
        accepting with a free seat. A cursor from another search is Invalid."""

    def save_settings(self, before: Tutor, after: Tutor) -> None:
        """Raises TutorChanged unless the stored tutor is still at ``before.revision``."""

    def project_profile(self, email: str, name: str, intro: str | None, occurred_at: str) -> None:
        """Create or rename the tutor from identity's events; an event older than the last one applied is
        ignored, and a redelivered one changes nothing."""


class Students(Protocol):
    def get(self, email: str) -> Student | None: ...

    def project_profile(self, email: str, name: str, handle: str | None, occurred_at: str) -> None: ...

    def record_status(self, email: str, room: str, is_learning: bool, at: str) -> None: ...


class Requests(Protocol):
    def get(self, request_id: str) -> MatchRequest | None: ...

    def add(self, request: MatchRequest, tutor: Tutor, event: TutorMatch) -> None:
        """Stores a PENDING request with its pair guard and stages ``event``, provided the tutor is still open
        and the student still has no tutor. Conflict REQUEST_ALREADY_PENDING, ALREADY_HAS_TUTOR, or
        TutorChanged."""

    def close(self, before: MatchRequest, after: MatchRequest, event: TutorMatch) -> None:
        """Moves a pending request to REJECTED or CANCELLED, frees the pair and stages ``event``; Conflict
        REQUEST_NOT_PENDING if someone decided it first."""

    def of_tutor(
        self, tutor_email: str, status: RequestStatus, cursor: str | None, limit: int, caller: str
    ) -> Page[MatchRequest]:
        """A page of the tutor's requests in ``status``; its cursor opens only for ``caller`` (a user id)."""

    def of_student(self, student_email: str, cursor: str | None, limit: int, caller: str) -> Page[MatchRequest]: ...


class Links(Protocol):
    def approve(
        self,
        before: MatchRequest,
        after: MatchRequest,
        tutor_before: Tutor,
        tutor_after: Tutor,
        link: TutorStudentLink,
        event: TutorMatch,
    ) -> None:
        """One transaction: the request becomes APPROVED, its pair guard goes, the link is created, the
        tutor's count moves to ``tutor_after`` (capacity checked), the student is bound to the tutor and
        ``event`` is staged.
        Conflict REQUEST_NOT_PENDING / ALREADY_HAS_TUTOR, or TutorChanged."""

    def end(self, link: TutorStudentLink, tutor_before: Tutor, tutor_after: Tutor, event: TutorMatch) -> None:
        """One transaction: the link goes, the tutor's count moves to ``tutor_after``, the student is free
        and ``event`` is staged.
        Conflict LINK_NOT_FOUND if it has already ended, or TutorChanged."""

    def get(self, tutor_email: str, student_email: str) -> TutorStudentLink | None: ...

    def of_tutor(self, tutor_email: str) -> list[TutorStudentLink]: ...

    def record_status(self, link: TutorStudentLink, room: str, is_learning: bool, at: str) -> bool:
        """Stores the student's state on the link; False if the link ended meanwhile."""


class Outbox(Protocol):
    """Events staged by the writes above and not yet known to be published."""

    def staged_before(self, moment: datetime, limit: int) -> list[Event]:
        """Up to ``limit`` events that occurred before ``moment``, oldest first."""

    def remove(self, event_id: str) -> None:
        """Forgets a published event; forgetting one already gone changes nothing."""


class Erasure(Protocol):
    """Deletes what matching keeps of a deleted user once their links have ended."""

    def forget_requests(self, requests: list[MatchRequest]) -> None:
        """Deletes these requests and their pair guards; already gone is fine."""

    def forget_user(self, email: str) -> None:
        """Deletes the user's tutor item, its search (WORD) items and their STUDENT# item."""


class Publisher(Protocol):
    def publish(self, event: Event) -> None: ...
