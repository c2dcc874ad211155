"""The resource catalogue: every table, queue, topic, bucket and the user pool, defined once.

The dev stack bootstraps exactly this into the emulator, and a test proves the Terraform declares the same
keys, indexes, TTL attributes, queues, redrive settings and buckets, so drift fails the build.

Logical names are kebab-case; the physical name is ``{prefix}-{stage}-{logical}`` (see ``Settings.name``).
Each table and consuming queue is owned by one bounded context; a context never reads another's tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

KeyType = Literal["S", "N", "B"]
Context = Literal["identity", "matching", "practice", "conversation", "notifications"]
# "platform" owns what every service uses alike (the request counters behind the rate limit).
Owner = Literal["identity", "matching", "practice", "conversation", "notifications", "platform"]


@dataclass(frozen=True)
class Key:
    name: str
    type: KeyType = "S"


@dataclass(frozen=True)
class Index:
    name: str
    hash_key: Key
    range_key: Key | None = None
    projection: Literal["ALL", "KEYS_ONLY"] = "ALL"


@dataclass(frozen=True)
class Table:
    logical: str
    owner: Owner
    hash_key: Key
    range_key: Key | None = None
    indexes: tuple[Index, ...] = ()
    ttl_attribute: str | None = None
    stream: bool = False
    purpose: str = ""

    def attribute_definitions(self) -> dict[str, KeyType]:
        """Every attribute used by a key of the table or of an index, with its type."""
        keys = [self.hash_key, self.range_key]
        for index in self.indexes:
            keys += [index.hash_key, index.range_key]
        return {k.name: k.type for k in keys if k is not None}


@dataclass(frozen=True)
class Queue:
    logical: str
    consumer: Context | Literal["analytics"]
    visibility_timeout: int
    max_receive_count: int
    retention_seconds: int = 86_400
    receive_wait_seconds: int = 20
    dlq_retention_seconds: int = 1_209_600
    batch_size: int = 10
    # Event types this queue subscribes to on the events topic; empty for a command queue.
    subscribes_to: tuple[str, ...] = ()
    purpose: str = ""

    @property
    def dlq_logical(self) -> str:
        return f"{self.logical}-dlq"


@dataclass(frozen=True)
class Bucket:
    logical: str
    prefixes: dict[str, int | None] = field(default_factory=dict)  # prefix -> expiry days (None = kept)
    versioned: bool = False
    browser_access: bool = False  # browsers use presigned URLs on it directly, so it needs a CORS rule
    purpose: str = ""


@dataclass(frozen=True)
class UserPool:
    logical: str = "users"
    client_logical: str = "web"
    groups: tuple[str, ...] = ("student", "tutor", "consent-pending")
    password_min_length: int = 8
    access_token_hours: int = 1
    id_token_hours: int = 1
    refresh_token_days: int = 30
    # Two-step sign-in (seed 002): each user may turn on an authenticator app's code (software tokens, TOTP).
    mfa_configuration: str = "OPTIONAL"
    # Minutes a sign-in's session lasts between the password and the code (the web client's auth session).
    auth_session_minutes: int = 3


S, N = "S", "N"

TABLES: tuple[Table, ...] = (
    # --- identity -------------------------------------------------------------------------------
    Table(
        "users",
        "identity",
        Key("email"),
        purpose="Profiles: email (the Cognito username), userId (sub), name, role, profile image key.",
    ),
    Table(
        "verification-codes",
        "identity",
        Key("email"),
        Key("purpose"),
        ttl_attribute="ttl",
        purpose="Hashed one-time codes for sign-up and password reset, with expiry and attempts left.",
    ),
    Table(
        "data-exports",
        "identity",
        Key("email"),
        Key("exportId"),
        indexes=(Index("sweep-index", Key("sweepState"), Key("sweepAt", "N")),),
        purpose="Data exports (GDPR art. 20): status, the contexts whose part arrived, the ZIP's key; exportId "
        "is time-ordered; one ACTIVE guard item per user while an export runs; sweep-index (sparse) lists the exports "
        "the sweep must still close, by when.",
    ),
    # --- matching -------------------------------------------------------------------------------
    Table(
        "tutors",
        "matching",
        Key("tutorEmail"),
        indexes=(
            # Sparse: only tutors who accept and have free capacity carry `openShard`.
            Index("open-name-index", Key("openShard"), Key("nameKey")),
            Index("all-name-index", Key("tutorShard"), Key("nameKey")),
        ),
        purpose="Matching's projection of users: tutors (capacity, isAccepting, a name key per later word of "
        "the name for prefix search) and STUDENT# items (name, live state, the one-tutor guard).",
    ),
    Table(
        "tutor-requests",
        "matching",
        Key("requestId"),
        indexes=(
            Index("tutorEmailStatus-index", Key("tutorEmailStatus"), Key("createdAt")),
            Index("studentEmail-index", Key("studentEmail"), Key("createdAt")),
            # Sparse: only OUTBOX# items (events staged with their change, not yet published) carry it.
            Index("outbox-index", Key("outboxShard"), Key("createdAt")),
        ),
        purpose="Match requests; a PAIR# guard item keeps one pending request per student-tutor pair; "
        "OUTBOX# items hold TutorMatch events staged with their change until they are published.",
    ),
    Table(
        "tutor-students",
        "matching",
        Key("tutorEmail"),
        Key("studentEmail"),
        indexes=(Index("studentEmail-index", Key("studentEmail")),),
        purpose="Active tutor-student links with the student's current room and learning state.",
    ),
    # --- practice -------------------------------------------------------------------------------
    Table(
        "learning-sessions",
        "practice",
        Key("studentEmail"),
        Key("sessionId"),
        purpose="Sessions; sessionId is time-ordered so a date range is a key condition.",
    ),
    Table(
        "sentence-audio",
        "practice",
        Key("audioId"),
        ttl_attribute="ttl",
        purpose="Synthesised speech keyed by a hash of (voice, text), so each pair is made once; reused for "
        "5 days (the bucket keeps tts/ for 7).",
    ),
    Table(
        "async-job-status",
        "practice",
        Key("jobId"),
        indexes=(Index("ownerEmail-index", Key("ownerEmail"), Key("createdAt")),),
        ttl_attribute="ttl",
        purpose="Text-to-speech job status, readable by the job's owner only.",
    ),
    Table(
        "pronunciation-results",
        "practice",
        Key("studentEmail"),
        Key("resultId"),
        purpose="Pronunciation assessments with per-word and per-phone detail.",
    ),
    Table(
        "daily-statistics",
        "practice",
        Key("studentEmail"),
        Key("date"),
        purpose="Per-day counters updated atomically with ADD.",
    ),
    Table(
        "sentence-mastery",
        "practice",
        Key("studentEmail"),
        Key("sentenceKey"),
        purpose="Per-student record of each practised sentence (best/last score, times, last practised).",
    ),
    Table(
        "student-tutors",
        "practice",
        Key("studentEmail"),
        purpose="Practice's projection of each student's tutor, kept from tutor_match events.",
    ),
    # --- conversation ---------------------------------------------------------------------------
    Table(
        "ai-conversations",
        "conversation",
        Key("conversationId"),
        Key("itemKey"),
        indexes=(Index("studentEmail-index", Key("studentEmail"), Key("startedAt")),),
        ttl_attribute="ttl",
        purpose="A conversation's META item and its turns (TURN#), reply requests (REQ#) and conversation's "
        "projection of each student's tutor (TUTOR#); only META items carry startedAt.",
    ),
    Table(
        "generated-content",
        "conversation",
        Key("contentId"),
        ttl_attribute="expiresAt",
        purpose="Generated pictures keyed by a hash of (model, prompt, size), so each is made once: s3Key, "
        "contentType, createdAt, usageCount (ADD on reuse); expiresAt is 30 days on (reads ignore expired items).",
    ),
    # --- notifications --------------------------------------------------------------------------
    Table(
        "notifications",
        "notifications",
        Key("userEmail"),
        Key("notificationId"),
        indexes=(Index("unread-index", Key("unreadUserEmail"), Key("notificationId")),),
        ttl_attribute="ttl",
        purpose="Inbox; notificationId is time-ordered; unread items carry the sparse unreadUserEmail.",
    ),
    Table(
        "websocket-connections",
        "notifications",
        Key("connectionId"),
        indexes=(Index("userEmail-index", Key("userEmail")),),
        ttl_attribute="ttl",
        purpose="Live WebSocket connections (24 h TTL; reads ignore expired items).",
    ),
    Table(
        "feedback-messages",
        "notifications",
        Key("compositeKey"),
        Key("timestamp"),
        indexes=(
            Index("studentEmail-index", Key("studentEmail"), Key("timestamp")),
            Index("tutorEmail-index", Key("tutorEmail"), Key("timestamp")),
        ),
        purpose="Tutor feedback to a student; compositeKey is tutorEmail#studentEmail.",
    ),
    Table(
        "tutor-links",
        "notifications",
        Key("studentEmail"),
        purpose="Notifications' record of each student's tutor, kept from tutor_match events.",
    ),
    Table(
        "push-receipts",
        "notifications",
        Key("receiptKey"),
        ttl_attribute="ttl",
        purpose="Live-only pushes already sent, keyed by a hash of (recipient, event id), so a redelivered event "
        "is not pushed twice; holds no personal data; kept a day.",
    ),
    # --- platform -------------------------------------------------------------------------------
    Table(
        "revoked-users",
        "platform",
        Key("subjectKey"),
        ttl_attribute="ttl",
        purpose="Tombstones of deleted accounts (a pseudonym of the user id, until their last token expires); "
        "every service's token check reads them, identity writes them (shared/speaktracker/revocation.py).",
    ),
    Table(
        "rate-limits",
        "platform",
        Key("counterKey"),
        ttl_attribute="ttl",
        purpose="Request counters per caller and window (counterKey is subject#windowStart); every service "
        "raises them with one conditional UpdateItem and nothing else.",
    ),
)

RATE_LIMITS_TABLE = "rate-limits"
REVOCATIONS_TABLE = "revoked-users"

# The events topic fans each integration event out to the queues that subscribe to its type.
EVENTS_TOPIC = "events"

QUEUES: tuple[Queue, ...] = (
    Queue(
        "tts", "practice", visibility_timeout=120, max_receive_count=3, purpose="Text-to-speech jobs, one per sentence."
    ),
    Queue(
        "ai-chat",
        "conversation",
        visibility_timeout=180,
        max_receive_count=2,
        purpose="AI conversation turns to answer.",
    ),
    Queue(
        "ai-feedback",
        "conversation",
        visibility_timeout=120,
        max_receive_count=3,
        purpose="Feedback on answered conversation turns, made after the reply is pushed.",
    ),
    Queue(
        "notifications-events",
        "notifications",
        visibility_timeout=60,
        max_receive_count=5,
        subscribes_to=(
            "tutor_match",
            "student_status_update",
            "feedback",
            "tts_ready",
            "ai_reply_ready",
            "turn_feedback_ready",
            "practice_result",
            "user_deleted",
            "user_export_requested",
            "user_export_ready",
        ),
        purpose="Events that become notifications and live pushes; the user's part of a data export.",
    ),
    Queue(
        "practice-events",
        "practice",
        visibility_timeout=60,
        max_receive_count=5,
        subscribes_to=("tutor_match", "conversation_turn_completed", "user_deleted", "user_export_requested"),
        purpose="Tutor-student link changes, so a tutor can read their own students' progress.",
    ),
    Queue(
        "conversation-events",
        "conversation",
        visibility_timeout=60,
        max_receive_count=5,
        subscribes_to=("tutor_match", "user_deleted", "user_export_requested"),
        purpose="Tutor-student link changes, so a tutor can read their own students' conversations; the user's "
        "part of a data export.",
    ),
    Queue(
        "matching-events",
        "matching",
        visibility_timeout=60,
        max_receive_count=5,
        subscribes_to=("user_registered", "user_profile_updated", "user_deleted", "user_export_requested"),
        purpose="Identity events that keep matching's tutor projection current; the user's part of a data export.",
    ),
    Queue(
        "identity-events",
        "identity",
        visibility_timeout=120,
        max_receive_count=5,
        subscribes_to=("user_export_part_ready",),
        purpose="Parts of data exports: identity assembles the ZIP once every context's part arrived.",
    ),
)

# Learning analytics archives every event, of every type, as date-partitioned JSON in the analytics bucket
# (``events/type=<type>/dt=YYYY-MM-DD/``). In AWS a Firehose delivery stream subscribed to the topic writes it
# (terraform/modules/platform/analytics.tf); the emulator has no Firehose, so in the dev stack this queue,
# subscribed to the topic without a filter, stands in and the stack drains it into .dev/analytics/.
ANALYTICS_BUCKET = "analytics"
ANALYTICS_DEV_QUEUE = Queue(
    "analytics-events",
    "analytics",
    visibility_timeout=60,
    max_receive_count=5,
    purpose="Dev stack only: every event, archived under .dev/analytics/.",
)

BUCKETS: tuple[Bucket, ...] = (
    Bucket(
        "user-content",
        {"tts/": 7, "user-audio/": 30, "profile-images/": None, "exports/": 7, "generated-images/": 31},
        versioned=True,
        browser_access=True,
        purpose="Speech, recordings, profile images, data exports and generated pictures (kept a day past their "
        "record's 30 days); reached through presigned URLs only.",
    ),
    Bucket("frontend", purpose="The SPA build, served through CloudFront."),
)

USER_POOL = UserPool()

# The Secrets Manager secret (terraform/modules/secrets, value generated by Terraform) that every key the platform
# derives for itself comes from (speaktracker.platform_secret): page cursors, analytics pseudonyms.
PLATFORM_SECRET = "platform-secret"

# The one foundation model a service may invoke (conversation's scenario pictures), and where: Nova Canvas is
# not served in every region. Settings default to these; the packaged IAM grants bedrock:InvokeModel on it only.
IMAGE_MODEL_ID = "amazon.nova-canvas-v1:0"
IMAGE_MODEL_REGION = "us-east-1"


@dataclass(frozen=True)
class ServiceAccess:
    """What one service may touch beyond its own tables and the queues it consumes: least privilege is
    derived from this (IAM in Terraform, a test that reads each packaged policy)."""

    context: Context
    sends_to: tuple[str, ...] = ()  # queues it enqueues commands on
    publishes_events: bool = False  # publishes to the events topic
    bucket_prefixes: tuple[str, ...] = ()  # user-content prefixes it reads and writes
    aws_apis: tuple[str, ...] = ()  # cognito-idp, ses, polly, transcribe, secretsmanager, execute-api, bedrock
    revokes_tokens: bool = False  # writes tombstones of deleted accounts (every service reads them)
    platform_secret: bool = False  # derives keys from the platform secret (sealed page cursors)


SERVICES: tuple[ServiceAccess, ...] = (
    # Every context writes its part of a user's data export under exports/; identity assembles the ZIP there.
    ServiceAccess(
        "identity",
        publishes_events=True,
        bucket_prefixes=("profile-images/", "exports/"),
        aws_apis=("cognito-idp", "ses"),
        revokes_tokens=True,
    ),
    ServiceAccess("matching", publishes_events=True, bucket_prefixes=("exports/",), platform_secret=True),
    ServiceAccess(
        "practice",
        sends_to=("tts",),
        publishes_events=True,
        bucket_prefixes=("tts/", "user-audio/", "exports/"),
        aws_apis=("polly", "transcribe", "secretsmanager"),
        platform_secret=True,
    ),
    ServiceAccess(
        "conversation",
        sends_to=("ai-chat", "ai-feedback"),
        publishes_events=True,
        bucket_prefixes=("user-audio/", "tts/", "exports/", "generated-images/"),
        aws_apis=("polly", "transcribe", "secretsmanager", "bedrock"),
        platform_secret=True,
    ),
    ServiceAccess(
        "notifications",
        publishes_events=True,
        bucket_prefixes=("exports/",),
        aws_apis=("execute-api",),
        platform_secret=True,
    ),
)


def table(logical: str) -> Table:
    return _by_logical(TABLES, logical)


def queue(logical: str) -> Queue:
    return _by_logical(QUEUES, logical)


def shared_tables() -> tuple[Table, ...]:
    """Tables every service uses alike: the rate limit's counters (each service may only UpdateItem them) and
    the tombstones of deleted accounts (each may only GetItem them; identity also writes them)."""
    return tuple(t for t in TABLES if t.owner == "platform")


def tables_of(context: Context) -> tuple[Table, ...]:
    return tuple(t for t in TABLES if t.owner == context)


def queues_consumed_by(context: Context) -> tuple[Queue, ...]:
    return tuple(q for q in QUEUES if q.consumer == context)


def access_of(context: Context) -> ServiceAccess:
    return next(s for s in SERVICES if s.context == context)


class _Named(Protocol):
    @property
    def logical(self) -> str: ...


_N = TypeVar("_N", bound=_Named)


def _by_logical(items: Iterable[_N], logical: str) -> _N:
    for item in items:
        if item.logical == logical:
            return item
    raise KeyError(f"no resource named {logical!r} in the catalogue")
