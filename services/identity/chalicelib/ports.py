"""What identity's use cases need from the outside world, as small protocols."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Literal, Protocol

from speaktracker.events import Event

from .domain import CodePurpose, ConsentLink, ConsentPurpose, IssuedCode, Role, User
from .exports import DataExport
from .mfa import MfaChallenge


@dataclass(frozen=True)
class Tokens:
    access_token: str
    id_token: str
    refresh_token: str | None
    expires_in: int


@dataclass(frozen=True)
class StoredObject:
    size: int
    content_type: str


class UserRepository(Protocol):
    def get(self, email: str) -> User | None: ...

    def add(self, user: User) -> None:
        """Raises Conflict if the email is taken."""

    def save(self, user: User) -> None: ...

    def remove(self, email: str) -> None: ...


class CodeStore(Protocol):
    def get(self, email: str, purpose: CodePurpose) -> IssuedCode | None:
        """The last code issued, even if past its expiry (the domain tells expired from wrong)."""

    def put(self, code: IssuedCode) -> None: ...

    def spend_attempt(self, code: IssuedCode) -> int:
        """Decrement the attempts left if still as read; returns what is left (a race loses a try)."""

    def remove(self, email: str, purpose: CodePurpose) -> None: ...


class ConsentLinkStore(Protocol):
    def get(self, email: str, purpose: ConsentPurpose) -> ConsentLink | None: ...

    def put(self, link: ConsentLink) -> None: ...

    def remove(self, email: str, purpose: ConsentPurpose) -> None: ...

    def use(self, link: ConsentLink, now: int) -> bool:
        """Marks the link used if it is still the stored, unused one; False when another request won."""


class IdentityProvider(Protocol):
    def sign_up(self, email: str, password: str, name: str, role: Role) -> str:
        """Creates the unconfirmed account in the role's group; returns the user id (sub)."""

    def confirm(self, email: str) -> None: ...

    def delete(self, email: str) -> None: ...

    def login(self, email: str, password: str) -> Tokens | MfaChallenge:
        """Tokens, or the challenge of an account with two-step sign-in on (the password was right)."""

    def refresh(self, refresh_token: str) -> Tokens: ...

    def sign_out_everywhere(self, email: str) -> None: ...

    def set_password(self, email: str, password: str) -> None: ...

    def set_consent_pending(self, email: str, pending: bool) -> None:
        """Puts the user in (or takes them out of) the consent-pending group; tokens minted after show it."""


class SoftwareTokens(Protocol):
    """Two-step sign-in with an authenticator app (TOTP): the provider keeps the secret and checks the codes."""

    def is_enabled(self, email: str) -> bool: ...

    def associate(self, access_token: str) -> str:
        """Starts a setup: a new secret (base32) for the signed-in user's authenticator app."""

    def verify(self, access_token: str, code: str) -> None:
        """Checks a code against the user's secret; Invalid MFA_CODE_INVALID when it is not the current one."""

    def set_enabled(self, access_token: str, enabled: bool) -> None:
        """Turns the code at sign-in on (and makes it the preferred step) or off."""

    def answer_challenge(self, challenge: MfaChallenge, code: str) -> Tokens:
        """Answers a sign-in's challenge; Unauthorized MFA_SESSION_EXPIRED when its session is no longer valid."""

    def turn_off_for(self, email: str) -> None:
        """Turns the code at sign-in off for a user who cannot sign in (a recovery code was used)."""


class RecoveryCodes(Protocol):
    """A user's one-time recovery codes, kept only as salted digests (``mfa.recovery_digest``)."""

    def salt(self, email: str) -> str | None:
        """The salt of the user's current set; None if they have none."""

    def replace(self, email: str, salt: str, digests: list[str]) -> None:
        """The new set, in one write: every code of an older set stops working."""

    def use(self, email: str, digest: str) -> bool:
        """Spends the code with this digest (a conditional delete, so two uses at once cannot both count);
        False if the user has no such unused code."""

    def remove(self, email: str) -> None:
        """Every code and the salt (two-step sign-in turned off, the account deleted)."""


class Mailer(Protocol):
    def send(self, to: str, subject: str, text: str) -> None: ...


class FileStore(Protocol):
    def presign_upload(self, key: str, content_type: str, max_bytes: int) -> dict: ...

    def presign_download(self, key: str) -> str: ...

    def describe(self, key: str) -> StoredObject | None: ...

    def erase_prefix(self, prefix: str) -> int:
        """Deletes every object (and every version) under ``prefix``; raises if any is left."""


class Clock(Protocol):
    def __call__(self) -> int: ...


class Publisher(Protocol):
    def publish(self, event: Event) -> None: ...


class ExportRepository(Protocol):
    def start(self, export: DataExport) -> None:
        """Stores a new RUNNING export; Conflict (EXPORT_IN_PROGRESS) while another of the user's runs."""

    def get(self, email: str, export_id: str) -> DataExport | None: ...

    def recent(self, email: str, limit: int) -> list[DataExport]:
        """The user's exports, newest first."""

    def add_part(self, export: DataExport, context: str, files: list[dict]) -> DataExport | None:
        """Records a context's part once (a set of parts); the export as now stored, or None if it is no
        longer RUNNING."""

    def finish(self, export: DataExport, archive_key: str, now: int) -> bool:
        """RUNNING -> READY; False if it was finished (or failed) meanwhile. Frees the user for a new one."""

    def fail(self, export: DataExport, reason: str, now: int) -> bool:
        """RUNNING -> FAILED; False if it was finished meanwhile. Frees the user for a new one."""

    def expire(self, export: DataExport) -> bool:
        """READY -> EXPIRED (its files are gone); False if it was not READY."""

    def due(self, status: Literal["RUNNING", "READY"], now: int, limit: int) -> list[DataExport]:
        """Exports of every user in ``status`` whose ``sweep_at`` has passed, oldest first."""


class ExportFiles(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes | None: ...

    def open(self, key: str) -> BinaryIO | None:
        """The object as a stream to read in chunks, or None if there is none; the caller closes it."""

    def upload(self, key: str, source: BinaryIO, content_type: str) -> None:
        """Uploads a file object in parts (multipart above a few MB), never reading it whole."""

    def erase_prefix(self, prefix: str) -> int: ...

    def presign_download(self, key: str, expires_in: int | None = None) -> str: ...
