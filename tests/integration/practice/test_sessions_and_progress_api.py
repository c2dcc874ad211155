from datetime import UTC, datetime, timedelta

from speaktracker.events import TutorMatch


def kst_today():
    return (datetime.now(UTC) + timedelta(hours=9)).date().isoformat()


def test_health(api):
    assert api.call("get", "/health") == (200, {"service": "practice", "status": "ok", "stage": "test"})


def test_scenario_three_session_start_and_end_update_the_day_atomically(api, aws, student):
    status, started = api.call(
        "post", "/api/sessions/start", {"sessionType": "practice", "metadata": {"difficulty": "중"}}, user=student
    )
    assert status == 201 and started["sessionId"].startswith("sess-") and started["startTime"].endswith("Z")
    status, ended = api.call("post", "/api/sessions/end", {"sessionId": started["sessionId"]}, user=student)
    assert status == 200 and ended["message"].startswith("세션 종료") and ended["duration"] >= 0
    assert ended["date"] == kst_today()
    status, again = api.call("post", "/api/sessions/end", {"sessionId": started["sessionId"]}, user=student)
    assert (status, again["error"]) == (409, "SESSION_ALREADY_ENDED")

    item = aws.client("dynamodb").get_item(
        TableName=aws.settings.name("daily-statistics"),
        Key={"studentEmail": {"S": student.email}, "date": {"S": kst_today()}},
    )["Item"]
    assert item["practiceCount"] == {"N": "1"}
    status, listed = api.call("get", f"/api/sessions?from={kst_today()}&to={kst_today()}", user=student)
    assert status == 200 and [s["sessionId"] for s in listed["sessions"]] == [started["sessionId"]]
    assert listed["sessions"][0]["status"] == "ENDED" and listed["timezone"] == "Asia/Seoul"


def test_session_errors(api, student, tutor):
    assert (
        api.call("post", "/api/sessions/end", {"sessionId": "sess-nope"}, user=student)[1]["error"]
        == "SESSION_NOT_FOUND"
    )
    assert (
        api.call("post", "/api/sessions/start", {"sessionType": "nap"}, user=student)[1]["error"]
        == "UNKNOWN_SESSION_TYPE"
    )
    assert api.call("post", "/api/sessions/start", {}, user=tutor)[0] == 403
    assert api.call("post", "/api/sessions/start", {})[0] == 401
    assert api.call("post", "/api/sessions/start", {"sessionType": "practice", "extra": 1}, user=student)[0] == 400
    assert api.call("get", "/api/sessions?from=2025-13-01", user=student)[1]["error"] == "INVALID_DATE"


def link(aws, queues, tutor_user, student_user, action="approved"):
    """What matching does on approval: a tutor_match event on the events topic."""
    event = TutorMatch(action=action, studentEmail=student_user.email, tutorEmail=tutor_user.email)
    sns = aws.client("sns")
    topic = sns.create_topic(Name=aws.settings.name("events"))["TopicArn"]
    sns.publish(
        TopicArn=topic,
        Message=event.to_json(),
        MessageAttributes={"type": {"DataType": "String", "StringValue": event.type}},
    )
    assert queues.drain("practice-events") >= 1


def test_a_tutor_reads_their_own_students_progress_and_no_one_elses(api, aws, queues, student, tutor):
    other_tutor = aws.user(None, "tutor")
    api.call("post", "/api/sessions/start", {"sessionType": "practice"}, user=student)
    path = f"/api/stats/summary?studentEmail={student.email}"
    assert api.call("get", path, user=tutor)[1]["error"] == "NOT_YOUR_STUDENT"
    link(aws, queues, tutor, student)
    status, summary = api.call("get", path, user=tutor)
    assert status == 200 and summary["studentEmail"] == student.email and summary["timezone"] == "Asia/Seoul"
    assert api.call("get", f"/api/stats/daily?studentEmail={student.email}", user=tutor)[0] == 200
    assert api.call("get", f"/api/results?studentEmail={student.email}", user=tutor)[0] == 200
    status, sessions = api.call("get", f"/api/sessions?studentEmail={student.email}", user=tutor)
    assert status == 200 and len(sessions["sessions"]) == 1
    status, refused = api.call("get", path, user=other_tutor)
    assert (status, refused["error"]) == (403, "NOT_YOUR_STUDENT")
    assert api.call("get", "/api/stats/summary", user=tutor)[1]["error"] == "STUDENT_REQUIRED"
    other_student = aws.user(None, "student")
    assert api.call("get", path, user=other_student)[1]["error"] == "NOT_YOUR_DATA"
    link(aws, queues, tutor, student, action="ended")
    assert api.call("get", path, user=tutor)[0] == 403


def test_results_cursor_that_we_did_not_make_is_a_400(api, student):
    status, body = api.call("get", "/api/results?cursor=bm9wZQ", user=student)
    assert (status, body["error"]) == (400, "INVALID_CURSOR")
    assert api.call("get", "/api/results", user=student) == (200, {"results": [], "cursor": None})


def test_conversation_turns_count_once_in_the_day_and_the_streak(api, student):
    from speaktracker.events import ConversationTurnCompleted

    turn = ConversationTurnCompleted(
        studentEmail=student.email,
        conversationId="conv-1",
        requestId="req-1",
        turnIndex=1,
        speakingSeconds=3.4,
        words=7,
    )
    second = ConversationTurnCompleted(
        studentEmail=student.email,
        conversationId="conv-1",
        requestId="req-2",
        turnIndex=2,
        speakingSeconds=2.0,
        words=4,
    )
    assert api.deliver("follow_tutor_links", "practice-events", turn, turn, second) == []  # one redelivered
    status, summary = api.call("get", "/api/stats/summary", user=student)
    assert status == 200 and summary["conversationTurns"] == 2 and summary["streakDays"] == 1
    assert summary["totalSpeakingTime"] == 5
    [day] = api.call("get", "/api/stats/daily", user=student)[1]["days"][-1:]
    assert (day["conversationTurns"], day["totalSpeakingTime"]) == (2, 5)


def test_an_empty_metadata_key_is_a_400_and_the_sessions_stay_listable(api, student):
    """Found by the fuzzer: a session stored with metadata {"": ...} made GET /api/sessions a 500."""
    status, answer = api.call(
        "post", "/api/sessions/start", {"sessionType": "practice", "metadata": {"": [[1, True]]}}, user=student
    )
    assert (status, answer["error"]) == (400, "INVALID_METADATA")
    status, listed = api.call("get", "/api/sessions", user=student)
    assert status == 200 and "sessions" in listed
