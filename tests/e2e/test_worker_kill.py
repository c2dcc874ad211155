"""Issue 13, faults: the host running the practice and conversation workers is killed (SIGKILL) with 100 TTS
jobs and 20 conversation turns in flight, the supervisor starts it again, and every job and turn still
completes exactly once: no job lost, no second turn saved, no second push over the WebSocket.

The stack runs with a 20 s visibility timeout (instead of 120/180 s) so the killed host's messages come back
within the test's bound, and three concurrent invocations per queue."""

import collections
import json
import os
import signal
import time

import pytest

from .conftest import Person, start_stack, stop_stack, wait_until

STUDENTS = 4
GENERATES_PER_STUDENT = 5  # five sentences each: 4 x 5 x 5 = 100 TTS jobs
CONVERSATIONS_PER_STUDENT = 5  # one typed turn each: 20 turns
KILLED = ("practice", "conversation")


@pytest.fixture(scope="module")
def fault_stack(tmp_path_factory):
    stack = start_stack(
        tmp_path_factory.mktemp("fault-stack"),
        {
            "SPEAKTRACKER_DEV_VISIBILITY_TIMEOUT_SECONDS": "20",
            "SPEAKTRACKER_DEV_QUEUE_CONCURRENCY": "3",
        },
    )
    yield stack
    stop_stack(stack)


def read_frames(sockets, seen, until, timeout):
    """Reads every socket's frames into ``seen`` (type -> [(job or request id, status)]) until ``until()``;
    ``until=None`` reads until the sockets have been quiet for a second."""
    deadline, quiet_since = time.monotonic() + timeout, time.monotonic()
    while not (until() if until else time.monotonic() - quiet_since > 1.0):
        assert time.monotonic() < deadline, f"timed out with { ({k: len(v) for k, v in seen.items()}) } frames"
        for socket in sockets:
            try:
                frame = json.loads(socket.recv(timeout=0.1))
            except TimeoutError:
                continue
            quiet_since = time.monotonic()
            key = frame.get("jobId") if frame.get("type") == "tts_ready" else frame.get("requestId")
            seen[frame.get("type")].append((key, frame.get("status")))


def test_killing_the_worker_hosts_mid_batch_loses_and_duplicates_nothing(fault_stack):
    stack = fault_stack
    students = [Person(stack, f"Kill Student {n}", "student") for n in range(STUDENTS)]
    sockets = [s.socket() for s in students]
    seen: dict[str, list] = collections.defaultdict(list)
    try:
        job_ids, request_ids, conversations = [], [], []
        for student in students:
            for _ in range(CONVERSATIONS_PER_STUDENT):
                started = student.call(
                    "POST", "conversation", "/api/ai/chat/start", {"difficulty": "하", "scenarioId": "cafe-order"}
                )
                conversations.append((student, started["conversationId"]))
        for student in students:
            for _ in range(GENERATES_PER_STUDENT):
                made = student.call(
                    "POST",
                    "practice",
                    "/api/sentences/generate",
                    {"difficulty": "하", "topic": "일상 대화", "count": 5},
                )
                job_ids += made["jobIds"]
        for student, cid in conversations:
            accepted = student.call(
                "POST",
                "conversation",
                "/api/ai/chat/message",
                {"conversationId": cid, "userMessage": "Hi, a coffee please."},
            )
            request_ids.append(accepted["requestId"])
        assert len(job_ids) == 100 and len(set(job_ids)) == 100 and len(request_ids) == 20

        # Mid-batch: some jobs are done, most are still queued or being made.
        read_frames(sockets, seen, lambda: len(seen["tts_ready"]) >= 5, timeout=60)
        before = stack.host_pids()
        for context in KILLED:
            os.kill(before[context], signal.SIGKILL)
        finished_before_kill = len(seen["tts_ready"]), len(seen["ai_reply"])
        wait_until(
            lambda: all(stack.host_pids()[c] != before[c] for c in KILLED), 30, "the killed hosts to start again", stack
        )

        read_frames(
            sockets,
            seen,
            lambda: len({k for k, _ in seen["tts_ready"]}) == 100 and len({k for k, _ in seen["ai_reply"]}) == 20,
            timeout=150,
        )
        time.sleep(2)  # a duplicate push would arrive by now
        read_frames(sockets, seen, None, timeout=30)
    finally:
        for socket in sockets:
            socket.close()

    assert finished_before_kill[0] < 100, "the kill came after every job had finished"
    assert f"practice host exited with code {-signal.SIGKILL}: starting it again" in stack.output()
    pushed_jobs = collections.Counter(k for k, _ in seen["tts_ready"])
    pushed_replies = collections.Counter(k for k, _ in seen["ai_reply"])
    assert set(pushed_jobs) == set(job_ids) and set(pushed_jobs.values()) == {1}, pushed_jobs.most_common(3)
    assert set(pushed_replies) == set(request_ids) and set(pushed_replies.values()) == {1}
    assert {status for _, status in seen["tts_ready"] + seen["ai_reply"]} == {"COMPLETED"}

    for (student, cid), request_id in zip(conversations, request_ids):
        assert student.call("GET", "conversation", f"/api/ai/chat/status/{request_id}")["status"] == "COMPLETED"
        turns = student.call("GET", "conversation", f"/api/ai/chat/{cid}")["turns"]
        assert len(turns) == 2, turns  # the partner's opener and this one turn, saved once
    for job_id in job_ids[:: len(job_ids) // 10]:
        student = students[job_ids.index(job_id) // (len(job_ids) // STUDENTS)]
        assert student.call("GET", "practice", f"/api/tts/status/{job_id}")["status"] == "COMPLETED"
