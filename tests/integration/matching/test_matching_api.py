import base64
import json
import uuid

import pytest
from speaktracker.events import UserProfileUpdated, UserRegistered


def unique(prefix):
    return f"{prefix}{uuid.uuid4().hex[:6]}"


def request_id(api, student, tutor, message="영어 회화 실력을 향상시키고 싶습니다."):
    status, body = api.call("post", f"/api/tutors/{tutor.email}/request", {"message": message}, user=student)
    assert status == 201, body
    return body["requestId"]


def events_for_notifications(aws):
    """Events the topic fanned out to the notifications queue (drained: each test looks for its own)."""
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=aws.settings.name("notifications-events"))["QueueUrl"]
    found = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        if not messages:
            return found
        found += [json.loads(m["Body"]) for m in messages]
        for m in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def test_health(api):
    assert api.call("get", "/health") == (200, {"service": "matching", "status": "ok", "stage": "test"})


def test_scenario_two_search_request_approve_and_live_state(api, aws):
    tutor_name = unique("김튜터")
    tutor, student = api.person("tutor", tutor_name), api.person("student", "민지")

    status, found = api.call("get", f"/api/tutors?search={tutor_name[:5]}", user=student)
    assert status == 200 and [t["email"] for t in found["tutors"]] == [tutor.email]
    assert found["tutors"][0] == {
        "email": tutor.email,
        "name": tutor_name,
        "intro": "",
        "isAccepting": True,
        "maxStudents": 10,
        "studentCount": 0,
        "openSeats": 10,
        "isOpen": True,
    }

    status, created = api.call(
        "post", f"/api/tutors/{tutor.email}/request", {"message": "잘 부탁드립니다"}, user=student
    )
    assert status == 201 and created["status"] == "PENDING" and created["studentName"] == "민지"
    assert created["tutorEmailStatus"] == f"{tutor.email}#PENDING" and created["createdAt"]

    status, pending = api.call("get", "/api/tutors/requests?status=PENDING", user=tutor)
    assert [r["requestId"] for r in pending["requests"]] == [created["requestId"]]

    status, approved = api.call("post", f"/api/tutors/requests/{created['requestId']}/approve", user=tutor)
    assert status == 200 and approved["status"] == "APPROVED"
    assert approved["link"]["studentEmail"] == student.email and approved["link"]["status"] == "active"

    status, mine = api.call("get", "/api/student/tutor", user=student)
    assert mine["tutor"]["email"] == tutor.email and mine["tutor"]["studentCount"] == 1

    status, state = api.call("post", "/api/student-status", {"room": "practice", "isLearning": True}, user=student)
    assert status == 200 and state["tutorEmail"] == tutor.email
    status, students = api.call("get", "/api/tutor/students", user=tutor)
    [link] = students["students"]
    assert (link["studentEmail"], link["studentName"], link["room"], link["isLearning"]) == (
        student.email,
        "민지",
        "practice",
        True,
    )

    published = [e for e in events_for_notifications(aws) if e.get("tutorEmail") == tutor.email]
    assert [(e["type"], e.get("action")) for e in published] == [
        ("tutor_match", "requested"),
        ("tutor_match", "approved"),
        ("student_status_update", None),
    ]
    assert published[2]["studentEmail"] == student.email and published[2]["room"] == "practice"


def test_search_pages_by_cursor_and_the_full_tutor_leaves_open_search(api):
    family = unique("Zq")
    tutors = [api.person("tutor", f"{family} {given}") for given in ("Alice", "bob", "Carol")]
    student = api.person("student")

    seen, cursor = [], None
    for _ in range(3):
        query = f"/api/tutors?search={family.upper()}&limit=2" + (f"&cursor={cursor}" if cursor else "")
        status, page = api.call("get", query, user=student)
        assert status == 200, page
        seen += [t["name"] for t in page["tutors"]]
        cursor = page["cursor"]
        if not cursor:
            break
    assert seen == [f"{family} Alice", f"{family} bob", f"{family} Carol"]

    api.call("put", "/api/tutor/settings", {"maxStudents": 1}, user=tutors[0])
    request = request_id(api, student, tutors[0])
    assert api.call("post", f"/api/tutors/requests/{request}/approve", user=tutors[0])[0] == 200
    _, open_page = api.call("get", f"/api/tutors?search={family}", user=student)
    _, every_page = api.call("get", f"/api/tutors?search={family}&accepting=false", user=student)
    assert [t["name"] for t in open_page["tutors"]] == [f"{family} bob", f"{family} Carol"]
    assert [t["isOpen"] for t in every_page["tutors"]] == [False, True, True]

    api.call("delete", "/api/student/tutor", user=student)
    _, reopened = api.call("get", f"/api/tutors?search={family}", user=student)
    assert len(reopened["tutors"]) == 3


def test_a_later_word_of_a_name_finds_the_tutor_and_follows_their_capacity_and_renames(api):
    family = unique("Xq")
    john, anne = api.person("tutor", f"John {family}"), api.person("tutor", f"{family} Anne")
    student = api.person("student")

    def found(search, accepting="true"):
        status, page = api.call("get", f"/api/tutors?search={search}&accepting={accepting}", user=student)
        assert status == 200, page
        return [t["email"] for t in page["tutors"]]

    assert found(family.lower()) == [anne.email, john.email]
    assert found(f"JOHN {family[:3]}") == [john.email]

    api.call("put", "/api/tutor/settings", {"maxStudents": 1}, user=john)
    api.call("post", f"/api/tutors/requests/{request_id(api, student, john)}/approve", user=john)
    assert found(family) == [anne.email]
    assert found(family, accepting="false") == [anne.email, john.email]

    api.deliver(UserProfileUpdated(email=john.email, name=f"Mary Jane {family}", role="tutor"))
    assert found("jane") == [] and found("jane", "false") == [john.email] and found("john", "false") == []
    api.deliver(UserProfileUpdated(email=john.email, name="Mary", role="tutor"))
    assert found("jane", "false") == [] and found(family, "false") == [anne.email]
    assert found("mary", "false") == [john.email]


def test_a_cursor_belongs_to_its_search(api):
    family = unique("Yq")
    for given in ("A", "B"):
        api.person("tutor", f"{family} {given}")
    student = api.person("student")
    _, page = api.call("get", f"/api/tutors?search={family}&limit=1", user=student)
    for query in (
        f"search=other&cursor={page['cursor']}",
        f"search={family}&accepting=false&cursor={page['cursor']}",
        "cursor=not-a-cursor",
    ):
        status, body = api.call("get", f"/api/tutors?{query}", user=student)
        assert (status, body["error"]) == (400, "INVALID_CURSOR"), query


def test_a_requests_cursor_is_sealed_to_its_owners_list(api):
    student, other = api.person("student"), api.person("student")
    tutors = [api.person("tutor") for _ in range(2)]
    asked = {request_id(api, student, tutor) for tutor in tutors}
    status, first = api.call("get", "/api/requests?limit=1", user=student)
    assert status == 200 and first["cursor"], first
    sealed = first["cursor"]
    raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
    for readable in (student.email, student.email.split("@")[0], tutors[0].email.split("@")[0], "studentEmail"):
        assert readable.encode() not in raw and readable not in sealed
    _, second = api.call("get", f"/api/requests?limit=1&cursor={sealed}", user=student)
    assert {r["requestId"] for r in first["requests"] + second["requests"]} == asked
    # Another student's list, a tutor's list, an unsealed key naming the student, a tampered cursor: all refused.
    plain = json.dumps({"requestId": {"S": "x"}, "studentEmail": {"S": student.email}, "createdAt": {"S": "1"}})
    crafted = base64.urlsafe_b64encode(plain.encode()).decode().rstrip("=")
    flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    for user, path in (
        (other, f"/api/requests?cursor={sealed}"),
        (tutors[0], f"/api/tutors/requests?cursor={sealed}"),
        (student, f"/api/requests?cursor={crafted}"),
        (student, f"/api/requests?cursor={flipped}"),
        (student, f"/api/requests?cursor={sealed[:-5]}"),
    ):
        status, body = api.call("get", path, user=user)
        assert (status, body["error"]) == (400, "INVALID_CURSOR"), path


def test_reject_with_a_reason_then_ask_again_then_cancel(api):
    tutor, student = api.person("tutor"), api.person("student")
    first = request_id(api, student, tutor)
    status, rejected = api.call(
        "post", f"/api/tutors/requests/{first}/reject", {"reason": "이번 달은 꽉 찼어요"}, user=tutor
    )
    assert (status, rejected["status"], rejected["reason"]) == (200, "REJECTED", "이번 달은 꽉 찼어요")
    second = request_id(api, student, tutor)
    status, cancelled = api.call("post", f"/api/requests/{second}/cancel", user=student)
    assert (status, cancelled["status"]) == (200, "CANCELLED")
    status, again = api.call("post", f"/api/requests/{second}/cancel", user=student)
    assert (status, again["error"]) == (409, "REQUEST_NOT_PENDING")
    _, mine = api.call("get", "/api/requests", user=student)
    assert [(r["requestId"], r["status"]) for r in mine["requests"]] == [(second, "CANCELLED"), (first, "REJECTED")]
    _, decided = api.call("get", "/api/tutors/requests?status=REJECTED", user=tutor)
    assert [r["requestId"] for r in decided["requests"]] == [first]


@pytest.mark.parametrize(
    "prepare, code",
    [
        ("not a tutor", "TUTOR_NOT_FOUND"),
        ("not accepting", "TUTOR_NOT_ACCEPTING"),
        ("full", "TUTOR_FULL"),
        ("already has a tutor", "ALREADY_HAS_TUTOR"),
        ("pending", "REQUEST_ALREADY_PENDING"),
    ],
)
def test_requests_that_cannot_be_made_are_clear_4xx(api, prepare, code):
    tutor, student = api.person("tutor"), api.person("student")
    target = tutor.email
    if prepare == "not a tutor":
        target = api.person("student").email
    elif prepare == "not accepting":
        api.call("put", "/api/tutor/settings", {"isAccepting": False}, user=tutor)
    elif prepare == "full":
        api.call("put", "/api/tutor/settings", {"maxStudents": 1}, user=tutor)
        other = api.person("student")
        api.call("post", f"/api/tutors/requests/{request_id(api, other, tutor)}/approve", user=tutor)
    elif prepare == "already has a tutor":
        elsewhere = api.person("tutor")
        api.call("post", f"/api/tutors/requests/{request_id(api, student, elsewhere)}/approve", user=elsewhere)
    else:
        request_id(api, student, tutor)
    status, body = api.call("post", f"/api/tutors/{target}/request", {"message": "hi"}, user=student)
    assert (status // 100, body["error"]) == (4, code) and body["requestId"]


def test_settings_and_the_public_profile(api):
    tutor, student = api.person("tutor", "Lee Jiwon"), api.person("student")
    status, settings = api.call(
        "put", "/api/tutor/settings", {"isAccepting": False, "maxStudents": 4, "intro": "발음 교정 전문"}, user=tutor
    )
    assert status == 200 and (settings["isAccepting"], settings["maxStudents"], settings["intro"]) == (
        False,
        4,
        "발음 교정 전문",
    )
    assert api.call("get", "/api/tutor/settings", user=tutor) == (200, settings)
    assert api.call("get", f"/api/tutors/{tutor.email.upper()}", user=student) == (200, settings)
    assert api.call("get", f"/api/tutors/{tutor.email.replace('@', '%40')}", user=student) == (200, settings)


def test_either_side_ends_the_link(api):
    tutor, first, second = api.person("tutor"), api.person("student"), api.person("student")
    for student in (first, second):
        api.call("post", f"/api/tutors/requests/{request_id(api, student, tutor)}/approve", user=tutor)
    assert api.call("delete", f"/api/tutor/students/{first.email}", user=tutor)[0] == 200
    assert api.call("delete", "/api/student/tutor", user=second)[0] == 200
    assert api.call("get", "/api/tutor/students", user=tutor) == (200, {"students": []})
    assert api.call("get", "/api/student/tutor", user=first) == (200, {"tutor": None})
    assert api.call("get", "/api/tutor/settings", user=tutor)[1]["studentCount"] == 0
    status, body = api.call("delete", f"/api/tutor/students/{first.email}", user=tutor)
    assert (status, body["error"]) == (404, "LINK_NOT_FOUND")
    status, body = api.call("delete", "/api/student/tutor", user=second)
    assert (status, body["error"]) == (404, "NO_TUTOR")


def test_state_without_a_tutor_is_kept_and_shown_once_linked(api):
    tutor, student = api.person("tutor"), api.person("student")
    status, state = api.call("post", "/api/student-status", {"room": "conversation", "isLearning": True}, user=student)
    assert status == 200 and state["tutorEmail"] is None
    api.call("post", f"/api/tutors/requests/{request_id(api, student, tutor)}/approve", user=tutor)
    [link] = api.call("get", "/api/tutor/students", user=tutor)[1]["students"]
    assert (link["room"], link["isLearning"]) == ("conversation", True)


# --- identity's events ------------------------------------------------------------------------
def test_events_are_projected_once_in_order_and_poison_is_reported(api):
    email = f"{unique('tutor')}@example.com"
    user = api.aws.user(email, "tutor")
    registered = UserRegistered(email=email, name="Old Name", role="tutor")
    renamed = UserProfileUpdated(email=email, name="New Name", role="tutor", intro="Hello")
    poison = json.dumps({"type": "user_registered", "email": email})
    unknown = json.dumps({"type": "something_new", "anything": 1})
    assert api.deliver(renamed, registered, registered, poison, unknown, "not json") == [3, 5]
    status, tutor = api.call("get", "/api/tutor/settings", user=user)
    assert (status, tutor["name"], tutor["intro"]) == (200, "New Name", "Hello")


def test_identity_events_reach_matching_through_the_topic(api, aws):
    from speaktracker.aws import AwsClients
    from speaktracker.events import publisher_from

    email = f"{unique('tutor')}@example.com"
    publisher_from(AwsClients(aws.settings)).publish(UserRegistered(email=email, name="Via Topic", role="tutor"))
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=aws.settings.name("matching-events"))["QueueUrl"]
    bodies = [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])]
    mine = [b for b in bodies if email in b]
    assert len(mine) == 1 and api.deliver(*mine) == []
    user = aws.user(email, "tutor")
    assert api.call("get", "/api/tutor/settings", user=user)[1]["name"] == "Via Topic"


# --- bad input --------------------------------------------------------------------------------
BAD_INPUT = [
    ("student", "get", "/api/tutors?limit=0", None, "VALIDATION_FAILED"),
    ("student", "get", "/api/tutors?accepting=maybe", None, "VALIDATION_FAILED"),
    ("student", "get", "/api/tutors?search=" + "x" * 81, None, "VALIDATION_FAILED"),
    ("student", "get", "/api/tutors?colour=red", None, "VALIDATION_FAILED"),
    ("student", "get", "/api/tutors/not-an-email", None, "INVALID_EMAIL"),
    ("student", "post", "/api/tutors/{tutor}/request", {"message": "x" * 1001}, "VALIDATION_FAILED"),
    ("student", "post", "/api/tutors/{tutor}/request", {"message": 5}, "VALIDATION_FAILED"),
    ("student", "post", "/api/tutors/{tutor}/request", "{not json", "INVALID_JSON"),
    ("student", "post", "/api/tutors/not-an-email/request", {"message": "hi"}, "INVALID_EMAIL"),
    ("student", "get", "/api/requests?limit=1000", None, "VALIDATION_FAILED"),
    ("student", "get", "/api/requests?cursor=bogus", None, "INVALID_CURSOR"),
    ("student", "post", "/api/requests/PAIR%23a%23b/cancel", None, "REQUEST_NOT_FOUND"),
    ("tutor", "get", "/api/tutors/requests?status=DONE", None, "VALIDATION_FAILED"),
    ("tutor", "post", "/api/tutors/requests/" + "x" * 3000 + "/approve", None, "REQUEST_NOT_FOUND"),
    ("tutor", "post", "/api/tutors/requests/{request}/reject", {}, "VALIDATION_FAILED"),
    ("tutor", "post", "/api/tutors/requests/{request}/reject", {"reason": "   "}, "VALIDATION_FAILED"),
    ("tutor", "put", "/api/tutor/settings", {}, "VALIDATION_FAILED"),
    ("tutor", "put", "/api/tutor/settings", {"maxStudents": 0}, "VALIDATION_FAILED"),
    ("tutor", "put", "/api/tutor/settings", {"maxStudents": "5"}, "VALIDATION_FAILED"),
    ("tutor", "put", "/api/tutor/settings", {"isAccepting": "yes"}, "VALIDATION_FAILED"),
    ("tutor", "put", "/api/tutor/settings", {"maxStudents": 101}, "VALIDATION_FAILED"),
    ("tutor", "delete", "/api/tutor/students/not-an-email", None, "INVALID_EMAIL"),
    ("student", "post", "/api/student-status", {"room": "practice"}, "VALIDATION_FAILED"),
    ("student", "post", "/api/student-status", {"room": "Practice Room!", "isLearning": True}, "VALIDATION_FAILED"),
    ("student", "post", "/api/student-status", {"room": "practice", "isLearning": "true"}, "VALIDATION_FAILED"),
]


@pytest.fixture(scope="module")
def pair(api):
    tutor, student = api.person("tutor"), api.person("student")
    return tutor, student, request_id(api, student, tutor)


@pytest.mark.parametrize("role, method, path, body, code", BAD_INPUT)
def test_bad_input_is_a_clear_4xx(api, pair, role, method, path, body, code):
    tutor, student, request = pair
    path = path.format(tutor=tutor.email, request=request)
    raw = body if isinstance(body, str) else None
    status, payload = api.call(method, path, None if raw else body, user=tutor if role == "tutor" else student, raw=raw)
    assert status in (400, 404) and payload["error"] == code and payload["requestId"], payload


def test_a_too_low_max_students_is_a_conflict(api):
    tutor = api.person("tutor")
    for _ in range(2):
        student = api.person("student")
        api.call("post", f"/api/tutors/requests/{request_id(api, student, tutor)}/approve", user=tutor)
    status, body = api.call("put", "/api/tutor/settings", {"maxStudents": 1}, user=tutor)
    assert (status, body["error"], body["details"]) == (409, "MAX_BELOW_STUDENT_COUNT", {"studentCount": 2})


@pytest.mark.parametrize("method, body", [("get", None), ("put", {"intro": "Hello"})])
def test_a_tutor_identity_has_not_projected_yet_gets_the_documented_404(api, aws, method, body):
    """Found by the fuzzer: a signed-in tutor matching has not heard of yet is a 404 the document now lists."""
    user = aws.user(f"{unique('tutor')}@example.com", "tutor")
    status, answer = api.call(method, "/api/tutor/settings", body, user=user)
    assert (status, answer["error"]) == (404, "TUTOR_PROFILE_NOT_READY")
    _, document = api.call("get", "/openapi.json")
    assert "404" in document["paths"]["/api/tutor/settings"][method]["responses"]
