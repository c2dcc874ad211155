"""Every route, called as anonymous, the owner (the student whose request or link it is), another student,
the tutor, and another tutor. A student never sees another student's requests; a tutor sees only their own
students and requests; a refused call changes nothing."""

import uuid
from dataclasses import dataclass

import pytest

CALLERS = ("anonymous", "owner", "other_student", "tutor", "other_tutor")


@dataclass
class World:
    owner: object
    tutor: object
    other_student: object
    other_tutor: object
    request_id: str | None = None

    def caller(self, name):
        return None if name == "anonymous" else getattr(self, name)


@dataclass(frozen=True)
class Case:
    route: str
    setup: str  # "none", "pending" (the owner asked the tutor) or "linked" (the tutor approved)
    method: str
    path: str
    body: dict | None
    expected: tuple  # status per caller, in CALLERS order
    shows: object = None  # body -> whether the owner's request, link or tutor is in the answer

    def __str__(self):
        return self.route


def _emails(items, key):
    return {item[key] for item in items}


CASES = [
    Case(
        "search tutors",
        "none",
        "get",
        "/api/tutors?search={tutor_name}",
        None,
        (401, 200, 200, 200, 200),
        lambda b, w: w.tutor.email in _emails(b["tutors"], "email"),
    ),
    Case(
        "tutor profile",
        "none",
        "get",
        "/api/tutors/{tutor}",
        None,
        (401, 200, 200, 200, 200),
        lambda b, w: b["email"] == w.tutor.email,
    ),
    Case(
        "request a tutor", "none", "post", "/api/tutors/{tutor}/request", {"message": "hi"}, (401, 201, 201, 403, 403)
    ),
    Case(
        "my requests",
        "pending",
        "get",
        "/api/requests",
        None,
        (401, 200, 200, 403, 403),
        lambda b, w: w.request_id in _emails(b["requests"], "requestId"),
    ),
    Case("cancel a request", "pending", "post", "/api/requests/{request}/cancel", None, (401, 200, 404, 403, 403)),
    Case(
        "requests to me",
        "pending",
        "get",
        "/api/tutors/requests?status=PENDING",
        None,
        (401, 403, 403, 200, 200),
        lambda b, w: w.request_id in _emails(b["requests"], "requestId"),
    ),
    Case("approve", "pending", "post", "/api/tutors/requests/{request}/approve", None, (401, 403, 403, 200, 404)),
    Case(
        "reject",
        "pending",
        "post",
        "/api/tutors/requests/{request}/reject",
        {"reason": "full"},
        (401, 403, 403, 200, 404),
    ),
    Case(
        "read settings",
        "none",
        "get",
        "/api/tutor/settings",
        None,
        (401, 403, 403, 200, 200),
        lambda b, w: b["email"] == w.tutor.email,
    ),
    Case(
        "change settings",
        "none",
        "put",
        "/api/tutor/settings",
        {"intro": "hello"},
        (401, 403, 403, 200, 200),
        lambda b, w: b["email"] == w.tutor.email,
    ),
    Case(
        "my students",
        "linked",
        "get",
        "/api/tutor/students",
        None,
        (401, 403, 403, 200, 200),
        lambda b, w: w.owner.email in _emails(b["students"], "studentEmail"),
    ),
    Case("end link as tutor", "linked", "delete", "/api/tutor/students/{owner}", None, (401, 403, 403, 200, 404)),
    Case(
        "my tutor",
        "linked",
        "get",
        "/api/student/tutor",
        None,
        (401, 200, 200, 403, 403),
        lambda b, w: (b["tutor"] or {}).get("email") == w.tutor.email,
    ),
    Case("end link as student", "linked", "delete", "/api/student/tutor", None, (401, 200, 404, 403, 403)),
    Case(
        "student status",
        "linked",
        "post",
        "/api/student-status",
        {"room": "practice", "isLearning": True},
        (401, 200, 200, 403, 403),
        lambda b, w: b["tutorEmail"] == w.tutor.email,
    ),
]


@pytest.fixture(scope="module")
def bystanders(api):
    return api.person("student", "다른 학생"), api.person("tutor", "다른 튜터")


def world_for(api, bystanders, setup):
    world = World(api.person("student", "주인 학생"), api.person("tutor", f"Auth {uuid.uuid4().hex[:8]}"), *bystanders)
    if setup in ("pending", "linked"):
        status, body = api.call("post", f"/api/tutors/{world.tutor.email}/request", {"message": "hi"}, user=world.owner)
        assert status == 201, body
        world.request_id = body["requestId"]
    if setup == "linked":
        assert api.call("post", f"/api/tutors/requests/{world.request_id}/approve", user=world.tutor)[0] == 200
    return world


def owners_state(api, world):
    """What the owner and the tutor can see of their request and link."""
    requests = api.call("get", "/api/requests", user=world.owner)[1]["requests"]
    tutor = api.call("get", "/api/student/tutor", user=world.owner)[1]["tutor"]
    settings = api.call("get", "/api/tutor/settings", user=world.tutor)[1]
    return [(r["requestId"], r["status"]) for r in requests], tutor and tutor["email"], settings


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_route_for_every_caller(api, bystanders, case, caller):
    world = world_for(api, bystanders, case.setup)
    path = case.path.format(
        tutor=world.tutor.email,
        owner=world.owner.email,
        request=world.request_id,
        tutor_name=api.call("get", "/api/tutor/settings", user=world.tutor)[1]["name"],
    )
    before = owners_state(api, world)

    status, body = api.call(case.method, path, case.body, user=world.caller(caller))

    assert status == case.expected[CALLERS.index(caller)], body
    if status >= 400:
        assert body["error"] and body["requestId"]
        assert owners_state(api, world) == before  # refused means nothing happened
    elif case.shows is not None:
        assert case.shows(body, world) == (
            caller in ("owner", "tutor") or case.route in ("search tutors", "tutor profile")
        ), body
