"""Who may do what, for every route of every service, on the dev stack (issue 13, part 1).

The routes come from each running service's ``GET /openapi.json``, so a route added without a row here fails
``test_every_documented_route_has_a_row``. Each row names the real resource it targets (BOLA first: the
owner's session, TTS job, conversation, chat request, match request and notification, addressed by their real
ids) and the status each of five actors gets:

    anonymous · owner (a student) · another student · the owner's tutor · another tutor

Within a row the owner goes last, so that a change the owner may make (ending a session, cancelling a request)
does not hide what the others would have been allowed to do. Rows that end something are at the end.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from .conftest import Person, wait_until

ACTORS = ("anonymous", "owner", "other_student", "tutor", "other_tutor")
CALL_ORDER = ("anonymous", "other_student", "other_tutor", "tutor", "owner")


@dataclass
class World:
    """The people and the owner's real resources every row addresses."""

    stack: Any
    people: dict[str, Person]
    ids: dict[str, str]

    def email(self, who: str) -> str:
        return self.people[who].email


@dataclass(frozen=True)
class Row:
    service: str
    method: str
    path: str  # as documented: {name} placeholders
    expected: tuple[int, int, int, int, int]  # by ACTORS
    build: Callable[[World], dict[str, Any]] = lambda world: {}

    @property
    def key(self) -> tuple[str, str, str]:
        return self.service, self.method, self.path


def _(service, method, path, expected, build=lambda world: {}):
    return Row(service, method, path, expected, build)


ANY = (401, 200, 200, 200, 200)  # any signed-in user, on their own data
STUDENT_ONLY = (401, 200, 200, 403, 403)
STUDENT_CREATES = (401, 201, 201, 403, 403)
TUTOR_ONLY = (401, 403, 403, 200, 200)
PUBLIC = (200, 200, 200, 200, 200)
CAFE = {"difficulty": "중", "scenarioId": "cafe-order"}

ROWS: list[Row] = [
    # --- every service -------------------------------------------------------------------------------------
    *[_(s, "GET", "/health", PUBLIC) for s in ("identity", "matching", "practice", "conversation", "notifications")],
    *[
        _(s, "GET", "/openapi.json", PUBLIC)
        for s in ("identity", "matching", "practice", "conversation", "notifications")
    ],
    # --- identity: the public auth routes answer the same to everyone (a wrong code/password is not a 5xx) --
    _("identity", "POST", "/api/auth/register", (400,) * 5, lambda w: {"json": {"email": "not-an-email"}}),
    _(
        "identity",
        "POST",
        "/api/auth/confirm",
        (400,) * 5,
        lambda w: {"json": {"email": w.email("owner"), "code": "12"}},
    ),
    _("identity", "POST", "/api/auth/resend-code", (400,) * 5, lambda w: {"json": {}}),
    _(
        "identity",
        "POST",
        "/api/auth/login",
        (401,) * 5,
        lambda w: {"json": {"email": w.email("owner"), "password": "not-the-password-1A!"}},
    ),
    _("identity", "POST", "/api/auth/refresh", (401,) * 5, lambda w: {"json": {"refreshToken": "forged"}}),
    _("identity", "POST", "/api/auth/forgot-password", (400,) * 5, lambda w: {"json": {}}),
    _(
        "identity",
        "POST",
        "/api/auth/reset-password",
        (400,) * 5,
        lambda w: {"json": {"email": w.email("owner"), "code": "x", "newPassword": "p"}},
    ),
    # The guardian's consent routes are public: the link's token is the credential (a forged one is a 400).
    _("identity", "POST", "/api/guardian-consent/request", (400,) * 5, lambda w: {"json": {"token": "forged.token"}}),
    _(
        "identity",
        "POST",
        "/api/guardian-consent",
        (400,) * 5,
        lambda w: {"json": {"token": "forged.token", "decision": "consent"}},
    ),
    _("identity", "POST", "/api/guardian-consent/withdraw", (400,) * 5, lambda w: {"json": {"token": "forged.token"}}),
    _("identity", "GET", "/api/users/me", ANY),
    _("identity", "PATCH", "/api/users/me", ANY, lambda w: {"json": {"intro": "matrix"}}),
    # Deleting an account takes its own password again: with a wrong one nobody's account goes (the deletion
    # itself is tests/e2e/test_account_deletion.py), and a token only ever reaches its own account.
    _(
        "identity",
        "DELETE",
        "/api/users/me",
        (401, 403, 403, 403, 403),
        lambda w: {"json": {"password": "not-the-password-1A!"}},
    ),
    _(
        "identity",
        "POST",
        "/api/users/me/profile-image/upload",
        ANY,
        lambda w: {"json": {"contentType": "image/png", "size": 100}},
    ),
    # BOLA: the owner's upload key may not become anyone else's picture (never uploaded: 404 to the owner).
    _(
        "identity",
        "PUT",
        "/api/users/me/profile-image",
        (401, 404, 403, 403, 403),
        lambda w: {"json": {"key": w.ids["profile_image_key"]}},
    ),
    # Two-step sign-in: each signed-in user reaches only their own (the token names the account); nobody here
    # has it on, so turning it off is a 409, and a code that is no code is a 400 before Cognito is asked.
    _("identity", "GET", "/api/users/me/mfa", ANY),
    _("identity", "POST", "/api/users/me/mfa/setup", ANY),
    _("identity", "POST", "/api/users/me/mfa/verify", (401, 400, 400, 400, 400), lambda w: {"json": {"code": "abc"}}),
    _(
        "identity",
        "DELETE",
        "/api/users/me/mfa",
        (401, 409, 409, 409, 409),
        lambda w: {"json": {"password": "not-the-password-1A!"}},
    ),
    # The second step of a sign-in is public: the session is the credential, and one Cognito never gave is a 401.
    _(
        "identity",
        "POST",
        "/api/auth/login/mfa",
        (401,) * 5,
        lambda w: {"json": {"email": w.email("owner"), "session": "forged-session-" + "x" * 30, "code": "123456"}},
    ),
    # So is signing in with a recovery code: the password is checked first (a wrong one spends no code).
    _(
        "identity",
        "POST",
        "/api/auth/login/recovery",
        (401,) * 5,
        lambda w: {
            "json": {"email": w.email("owner"), "password": "not-the-password-1A!", "recoveryCode": "abcde-fghjk"}
        },
    ),
    # Data exports: everyone may export their own data (the owner's first one is READY by now, so a new one may
    # start), and its id is nobody else's business (404, as for an id that does not exist).
    _("identity", "POST", "/api/users/me/export", (401, 202, 202, 202, 202)),
    _("identity", "GET", "/api/users/me/exports", ANY),
    _(
        "identity",
        "GET",
        "/api/users/me/export/{exportId}",
        (401, 200, 404, 404, 404),
        lambda w: {"exportId": w.ids["export"]},
    ),
    # --- matching ------------------------------------------------------------------------------------------
    _("matching", "GET", "/api/tutors", ANY),
    _("matching", "GET", "/api/tutors/{tutor_email}", ANY, lambda w: {"tutor_email": w.email("tutor")}),
    _("matching", "GET", "/api/tutor/settings", TUTOR_ONLY),
    _("matching", "PUT", "/api/tutor/settings", TUTOR_ONLY, lambda w: {"json": {"intro": "matrix"}}),
    _("matching", "GET", "/api/tutor/students", TUTOR_ONLY),
    _("matching", "GET", "/api/tutors/requests", TUTOR_ONLY),
    _("matching", "GET", "/api/requests", STUDENT_ONLY),
    _("matching", "GET", "/api/student/tutor", STUDENT_ONLY),
    _(
        "matching",
        "POST",
        "/api/student-status",
        STUDENT_ONLY,
        lambda w: {"json": {"room": "practice", "isLearning": True}},
    ),
    # The owner already has a tutor (409); the other student asks the other tutor for real (201).
    _(
        "matching",
        "POST",
        "/api/tutors/{tutor_email}/request",
        (401, 409, 201, 403, 403),
        lambda w: {"tutor_email": w.email("other_tutor"), "json": {"message": "matrix"}},
    ),
    # BOLA: the owner's own pending request (to a third tutor) is cancelled by the owner alone.
    _(
        "matching",
        "POST",
        "/api/requests/{request_id}/cancel",
        (401, 200, 404, 403, 403),
        lambda w: {"request_id": w.ids["owner_request"]},
    ),
    # BOLA: a request to the owner's tutor is decided by that tutor alone.
    _(
        "matching",
        "POST",
        "/api/tutors/requests/{request_id}/approve",
        (401, 403, 403, 200, 404),
        lambda w: {"request_id": w.ids["request_to_approve"]},
    ),
    _(
        "matching",
        "POST",
        "/api/tutors/requests/{request_id}/reject",
        (401, 403, 403, 200, 404),
        lambda w: {"request_id": w.ids["request_to_reject"], "json": {"reason": "matrix"}},
    ),
    # --- practice ------------------------------------------------------------------------------------------
    _("practice", "POST", "/api/sessions/start", STUDENT_CREATES),
    _(
        "practice",
        "GET",
        "/api/sessions",
        (401, 200, 403, 200, 403),
        lambda w: {"params": {"studentEmail": w.email("owner")}},
    ),
    _(
        "practice",
        "GET",
        "/api/stats/daily",
        (401, 200, 403, 200, 403),
        lambda w: {"params": {"studentEmail": w.email("owner")}},
    ),
    _(
        "practice",
        "GET",
        "/api/stats/summary",
        (401, 200, 403, 200, 403),
        lambda w: {"params": {"studentEmail": w.email("owner")}},
    ),
    _(
        "practice",
        "GET",
        "/api/results",
        (401, 200, 403, 200, 403),
        lambda w: {"params": {"studentEmail": w.email("owner")}},
    ),
    _("practice", "POST", "/api/sentences/generate", STUDENT_ONLY, lambda w: {"json": {"count": 1}}),
    # BOLA: the owner's TTS job (its audio URL) is the owner's alone.
    _("practice", "GET", "/api/tts/status/{jobId}", (401, 200, 404, 404, 404), lambda w: {"jobId": w.ids["tts_job"]}),
    _(
        "practice",
        "POST",
        "/api/stt/upload-url",
        STUDENT_ONLY,
        lambda w: {"json": {"contentType": "audio/wav", "size": 1000}},
    ),
    # BOLA: evaluating the owner's uploaded recording (it was never uploaded: 404 to the owner).
    _(
        "practice",
        "POST",
        "/api/stt/evaluate",
        (401, 404, 403, 403, 403),
        lambda w: {"json": {"audioKey": w.ids["recording_key"], "originalText": "Hello there."}},
    ),
    _(
        "practice",
        "POST",
        "/api/sessions/end",
        (401, 200, 404, 403, 403),
        lambda w: {"json": {"sessionId": w.ids["session"]}},
    ),
    # --- conversation --------------------------------------------------------------------------------------
    _("conversation", "GET", "/api/ai/scenarios", ANY),
    # The catalogue's pictures are the same for everyone signed in; no one's data is in them.
    _("conversation", "GET", "/api/ai/scenarios/{scenarioId}/image", ANY, lambda w: {"scenarioId": "cafe-order"}),
    _("conversation", "POST", "/api/ai/chat/start", STUDENT_CREATES, lambda w: {"json": CAFE}),
    _(
        "conversation",
        "GET",
        "/api/ai/chat",
        (401, 200, 404, 200, 404),
        lambda w: {"params": {"studentEmail": w.email("owner")}},
    ),
    # BOLA: the owner's chat request, transcript, hint and end.
    _(
        "conversation",
        "GET",
        "/api/ai/chat/status/{requestId}",
        (401, 200, 404, 403, 403),
        lambda w: {"requestId": w.ids["chat_request"]},
    ),
    _(
        "conversation",
        "GET",
        "/api/ai/chat/{conversationId}",
        (401, 200, 404, 200, 404),
        lambda w: {"conversationId": w.ids["conversation"]},
    ),
    _(
        "conversation",
        "POST",
        "/api/ai/chat/message",
        (401, 202, 404, 403, 403),
        lambda w: {"json": {"conversationId": w.ids["conversation"], "userMessage": "I would like a coffee."}},
    ),
    _(
        "conversation",
        "POST",
        "/api/ai/chat/{conversationId}/hint",
        (401, 200, 404, 403, 403),
        lambda w: {"conversationId": w.ids["conversation"]},
    ),
    _(
        "conversation",
        "POST",
        "/api/ai/chat/{conversationId}/end",
        (401, 200, 404, 403, 403),
        lambda w: {"conversationId": w.ids["conversation"]},
    ),
    # --- notifications -------------------------------------------------------------------------------------
    _("notifications", "GET", "/api/notifications", ANY),
    # Feedback goes from a tutor to their own student only.
    _(
        "notifications",
        "POST",
        "/api/tutor/feedback",
        (401, 403, 403, 201, 403),
        lambda w: {"json": {"studentEmail": w.email("owner"), "message": "matrix"}},
    ),
    # Another tutor asking for the owner's feedback sees only what they sent themselves: none.
    _(
        "notifications",
        "GET",
        "/api/feedback",
        (401, 200, 403, 200, 200),
        lambda w: {"params": {"studentEmail": w.email("owner")}},
    ),
    # BOLA: the owner's notification is marked read by the owner alone.
    _(
        "notifications",
        "POST",
        "/api/notifications/{notification_id}/read",
        (401, 200, 404, 404, 404),
        lambda w: {"notification_id": w.ids["notification"]},
    ),
    _("notifications", "POST", "/api/notifications/read-all", ANY),
    # --- rows that end something: last -------------------------------------------------------------------
    # BOLA: the tutor ends their link with a second student; the other tutor has no such link.
    _(
        "matching",
        "DELETE",
        "/api/tutor/students/{student_email}",
        (401, 403, 403, 200, 404),
        lambda w: {"student_email": w.email("second_student")},
    ),
    _("matching", "DELETE", "/api/student/tutor", (401, 200, 404, 403, 403)),
    _("identity", "POST", "/api/auth/logout", ANY),
]


def _documented_routes(stack) -> set[tuple[str, str, str]]:
    routes = set()
    for service, url in stack.services.items():
        document = requests.get(f"{url}/openapi.json", timeout=20).json()
        routes |= {
            (service, method.upper(), path) for path, operations in document["paths"].items() for method in operations
        }
    return routes


def _link(student: Person, tutor: Person) -> None:
    request = student.call("POST", "matching", f"/api/tutors/{tutor.email}/request", {"message": "matrix"})
    tutor.call("POST", "matching", f"/api/tutors/requests/{request['requestId']}/approve")


def _known_to_matching(person: Person, tutor: Person) -> bool:
    return person.request("GET", "matching", f"/api/tutors/{tutor.email}").status_code == 200


@pytest.fixture(scope="module")
def world(dev_stack) -> World:
    tag = uuid.uuid4().hex[:4]
    people = {
        name: Person(dev_stack, f"Matrix {name} {tag}", role)
        for name, role in [
            ("owner", "student"),
            ("other_student", "student"),
            ("tutor", "tutor"),
            ("other_tutor", "tutor"),
            ("second_student", "student"),
            ("applicant", "student"),
            ("rejected", "student"),
            ("asked_tutor", "tutor"),
        ]
    }
    owner, tutor, asked_tutor = people["owner"], people["tutor"], people["asked_tutor"]
    for who in (tutor, people["other_tutor"], asked_tutor):
        wait_until(lambda who=who: _known_to_matching(owner, who), 30, "the tutors to be known to matching")
    ids: dict[str, str] = {}
    ids["owner_request"] = owner.call(
        "POST", "matching", f"/api/tutors/{asked_tutor.email}/request", {"message": "matrix"}
    )["requestId"]
    _link(owner, tutor)
    _link(people["second_student"], tutor)
    for name, key in (("applicant", "request_to_approve"), ("rejected", "request_to_reject")):
        ids[key] = people[name].call("POST", "matching", f"/api/tutors/{tutor.email}/request", {"message": "matrix"})[
            "requestId"
        ]
    # Practice, conversation and notifications learn of the link from matching's event.
    wait_until(
        lambda: tutor.request("GET", "practice", "/api/stats/summary", params={"studentEmail": owner.email}).status_code
        == 200,
        30,
        "practice to know the tutor",
    )
    wait_until(
        lambda: tutor.request("GET", "conversation", "/api/ai/chat", params={"studentEmail": owner.email}).status_code
        == 200,
        30,
        "conversation to know the tutor",
    )
    wait_until(
        lambda: tutor.request("GET", "notifications", "/api/feedback", params={"studentEmail": owner.email}).status_code
        == 200,
        30,
        "notifications to know the tutor",
    )

    ids["session"] = owner.call("POST", "practice", "/api/sessions/start", {})["sessionId"]
    ids["export"] = owner.call("POST", "identity", "/api/users/me/export", {})["exportId"]
    wait_until(
        lambda: owner.call("GET", "identity", f"/api/users/me/export/{ids['export']}")["status"] == "READY",
        60,
        "the owner's data export to be assembled",
    )
    ids["tts_job"] = owner.call("POST", "practice", "/api/sentences/generate", {"count": 1})["jobIds"][0]
    ids["recording_key"] = owner.call(
        "POST", "practice", "/api/stt/upload-url", {"contentType": "audio/wav", "size": 1000}
    )["audioKey"]
    ids["profile_image_key"] = owner.call(
        "POST", "identity", "/api/users/me/profile-image/upload", {"contentType": "image/png", "size": 100}
    )["key"]
    ids["conversation"] = owner.call("POST", "conversation", "/api/ai/chat/start", CAFE)["conversationId"]
    ids["chat_request"] = owner.call(
        "POST",
        "conversation",
        "/api/ai/chat/message",
        {"conversationId": ids["conversation"], "userMessage": "Hello, a table for two, please."},
    )["requestId"]
    wait_until(
        lambda: owner.call("GET", "conversation", f"/api/ai/chat/status/{ids['chat_request']}")["status"]
        in ("COMPLETED", "FAILED"),
        60,
        "the AI partner to answer",
    )
    inbox = wait_until(
        lambda: owner.call("GET", "notifications", "/api/notifications")["notifications"],
        30,
        "the approval to reach the owner's inbox",
    )
    ids["notification"] = inbox[0]["notificationId"]
    return World(dev_stack, people, ids)


def test_every_documented_route_has_a_row(dev_stack):
    documented = _documented_routes(dev_stack)
    rows = [row.key for row in ROWS]
    assert len(rows) == len(set(rows)), "a route has two rows"
    assert documented - set(rows) == set(), "routes without a row in the authorization matrix"
    assert set(rows) - documented == set(), "rows for routes no service documents"


def _path(row: Row, built: dict[str, Any]) -> str:
    path = row.path
    for name, value in built.items():
        path = path.replace("{" + name + "}", str(value))
    assert "{" not in path, f"{row.path}: a path parameter has no value"
    return path


STRANGERS = ("anonymous", "other_student", "other_tutor")


def _owner_data_in(world: World, text: str) -> list[str]:
    """What of the owner's a stranger's successful answer carries: their email or the id of their things."""
    secrets = {"email": world.email("owner"), **world.ids}
    return sorted(name for name, value in secrets.items() if value in text)


def test_every_route_answers_each_actor_as_the_matrix_says(world):
    mismatches = []
    for row in ROWS:
        built = row.build(world)
        options = {k: built[k] for k in ("json", "params") if k in built}
        url = f"{world.stack.services[row.service]}{_path(row, {k: v for k, v in built.items() if k not in options})}"
        expected = dict(zip(ACTORS, row.expected))
        for actor in CALL_ORDER:
            headers = {} if actor == "anonymous" else {"Authorization": f"Bearer {world.people[actor].token}"}
            response = requests.request(row.method, url, headers=headers, timeout=60, **options)
            where = f"{row.method} {row.service}{row.path} as {actor}"
            if response.status_code != expected[actor]:
                mismatches.append(
                    f"{where}: expected {expected[actor]}, got {response.status_code} {response.text[:160]}"
                )
            elif actor in STRANGERS and response.ok and (leaked := _owner_data_in(world, response.text)):
                mismatches.append(f"{where}: answered with the owner's {leaked}")
    assert not mismatches, "\n".join(mismatches)
