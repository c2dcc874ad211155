"""Practice's part of a data export, against the emulator: a real evaluated recording of one student is in it
(result with per-word scores, the recording's bytes), another student's is not, and the part is announced."""

import json

from speaktracker.events import UserExportRequested
from speaktracker.export import part_prefix

from .test_recordings_api import evaluate, recordings  # noqa: F401 - the module's fixture


def test_the_part_holds_the_students_results_recordings_and_sessions_only(api, aws, queues, student, recordings):
    other = aws.user(role="student")
    status, session = api.call("post", "/api/sessions/start", {"sessionType": "practice"}, user=student)
    assert status in (200, 201), session
    status, result = evaluate(api, student, recordings["whole"])
    assert status == 200, result
    assert evaluate(api, other, recordings["missing"])[0] == 200
    queues.purge("identity-events")

    request = UserExportRequested(exportId="1764600000-abc", email=student.email, role="student")
    assert api.deliver("follow_tutor_links", "practice-events", request, request) == []  # redelivery harmless

    s3, bucket = aws.client("s3"), aws.settings.name("user-content")
    prefix = part_prefix(request.export_id, "practice")

    def read(name):
        return s3.get_object(Bucket=bucket, Key=prefix + name)["Body"].read()

    results = json.loads(read("results.json"))
    assert [r["resultId"] for r in results] == [result["resultId"]]
    words = results[0]["assessment"]["words"]
    assert words and all("score" in w for w in words)
    assert results[0]["recordingFile"] == f"practice/recordings/{result['resultId']}.wav"
    assert read(f"recordings/{result['resultId']}.wav") == recordings["whole"]
    sessions = json.loads(read("sessions.json"))
    assert sessions and all(s["studentEmail"] == student.email for s in sessions)
    everything = b"".join(
        s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
        for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"]
        if o["Key"].endswith(".json")
    )
    assert other.email.encode() not in everything

    parts = [b for b in queues.bodies("identity-events") if b["type"] == "user_export_part_ready"]
    assert len(parts) == 2 and {p["context"] for p in parts} == {"practice"}
    paths = {f["path"] for f in parts[0]["files"]}
    assert {"practice/results.json", f"practice/recordings/{result['resultId']}.wav"} <= paths
