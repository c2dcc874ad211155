"""Matching's part of a data export, against the emulator: the student's and the tutor's requests and links,
and nothing of another student who asked the same tutor."""

import json

from speaktracker.events import UserExportRequested
from speaktracker.export import part_prefix

from .test_matching_api import request_id


def _part(api, aws, email, role, export_id):
    assert api.deliver(UserExportRequested(exportId=export_id, email=email, role=role)) == []
    s3, bucket = aws.client("s3"), aws.settings.name("user-content")
    prefix = part_prefix(export_id, "matching")
    return {
        name: json.loads(s3.get_object(Bucket=bucket, Key=prefix + name)["Body"].read())
        for name in ("requests.json", "links.json", "profile.json")
    }


def test_requests_and_links_of_the_user_only(api, aws):
    tutor, student, other = api.person("tutor"), api.person("student"), api.person("student")
    approved = request_id(api, student, tutor)
    status, body = api.call("post", f"/api/tutors/requests/{approved}/approve", user=tutor)
    assert status == 200, body
    pending = request_id(api, other, tutor)

    mine = _part(api, aws, student.email, "student", "1764600000-s")
    assert [r["requestId"] for r in mine["requests.json"]] == [approved]
    assert mine["requests.json"][0]["status"] == "APPROVED"
    assert [(link["tutorEmail"], link["studentEmail"]) for link in mine["links.json"]] == [(tutor.email, student.email)]
    assert other.email not in json.dumps(mine)

    tutors = _part(api, aws, tutor.email, "tutor", "1764600000-t")
    assert sorted(r["requestId"] for r in tutors["requests.json"]) == sorted([approved, pending])
    assert [link["studentEmail"] for link in tutors["links.json"]] == [student.email]
    assert tutors["profile.json"][0]["tutorEmail"] == tutor.email
