"""Data export (GDPR art. 20) in identity against the emulator: the request and its guard, the parts
collected idempotently from the identity-events queue, the ZIP, the email, and who may read what."""

import io
import json
import zipfile

from speaktracker.events import ExportFileEntry, UserExportPartReady, parse_event
from speaktracker.export import EXPORT_CONTEXTS, part_prefix
from support.queues import Queues

from .test_identity_api import PASSWORD, signed_up


def _login(api, email):
    status, body = api.call("post", "/api/auth/login", {"email": email, "password": PASSWORD})
    assert status == 200, body
    return body["accessToken"]


def _published(aws, api, queue, kind):
    bodies = Queues(aws, _app()).bodies(queue)
    return [parse_event(b) for b in bodies if b.get("type") == kind]


def _app():
    import app as service_app

    return service_app.app


def _part(aws, export_id, email, context, name, content):
    data = json.dumps(content).encode()
    aws.client("s3").put_object(
        Bucket=aws.settings.name("user-content"), Key=part_prefix(export_id, context) + name, Body=data
    )
    entry = ExportFileEntry(path=f"{context}/{name}", description=f"{context} data", size=len(data))
    return UserExportPartReady(exportId=export_id, email=email, context=context, files=(entry,))


def test_an_export_runs_once_collects_every_part_and_mails_a_link(api, aws):
    email = signed_up(api, aws)
    token = _login(api, email)
    for queue in ("matching-events", "practice-events", "conversation-events", "notifications-events"):
        Queues(aws, _app()).purge(queue)

    status, started = api.call("post", "/api/users/me/export", token=token)
    assert status == 202, started
    assert started["status"] == "RUNNING" and started["partsDone"] == ["identity"] and started["downloadUrl"] is None
    export_id = started["exportId"]

    status, again = api.call("post", "/api/users/me/export", token=token)
    assert status == 409 and again["error"] == "EXPORT_IN_PROGRESS"

    for queue in ("matching-events", "practice-events", "conversation-events", "notifications-events"):
        requested = _published(aws, api, queue, "user_export_requested")
        assert [(e.export_id, e.email, e.role) for e in requested] == [(export_id, email, "student")], queue

    others = [c for c in EXPORT_CONTEXTS if c != "identity"]
    parts = [_part(aws, export_id, email, c, "data.json", {"context": c, "of": email}) for c in others]
    # The last part twice in one batch (at-least-once delivery), the others before it.
    assert api.deliver("collect_export_parts", "identity-events", *parts[:-1]) == []
    status, running = api.call("get", f"/api/users/me/export/{export_id}", token=token)
    assert running["status"] == "RUNNING" and running["partsMissing"] == [others[-1]]
    assert api.deliver("collect_export_parts", "identity-events", parts[-1], parts[-1]) == []

    status, ready = api.call("get", f"/api/users/me/export/{export_id}", token=token)
    assert status == 200 and ready["status"] == "READY", ready
    assert ready["downloadUrl"] and f"exports/{export_id}/" in ready["downloadUrl"] and ready["availableUntil"]
    announced = _published(aws, api, "notifications-events", "user_export_ready")
    assert [e.export_id for e in announced] == [export_id]  # once, although the last part came twice

    key = f"exports/{export_id}/speaktracker-export-{export_id}.zip"
    data = aws.client("s3").get_object(Bucket=aws.settings.name("user-content"), Key=key)["Body"].read()
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    listed = [f["path"] for f in manifest["files"]]
    assert listed == ["README.txt", "identity/profile.json"] + [f"{c}/data.json" for c in others]
    assert set(archive.namelist()) == {"README.txt", "manifest.json", *listed[1:]}
    profile = json.loads(archive.read("identity/profile.json"))
    assert profile[0]["email"] == email and profile[0]["name"] == "김학생" and profile[0]["role"] == "student"
    assert json.loads(archive.read("practice/data.json")) == {"context": "practice", "of": email}

    from moto.backends import get_backend
    from moto.core import DEFAULT_ACCOUNT_ID

    mails = [
        m
        for m in get_backend("ses")[DEFAULT_ACCOUNT_ID]["ap-northeast-2"].sent_messages
        if email in m.destinations.get("ToAddresses", []) and "export" in m.subject
    ]
    assert len(mails) == 1 and f"exports/{export_id}/" in mails[0].body

    status, listing = api.call("get", "/api/users/me/exports", token=token)
    assert status == 200 and [e["exportId"] for e in listing["exports"]] == [export_id]
    status, second = api.call("post", "/api/users/me/export", token=token)  # the finished one freed the guard
    assert status == 202 and second["exportId"] != export_id


def test_someone_elses_export_is_not_found_and_bad_ids_are_404(api, aws):
    owner, stranger = signed_up(api, aws), signed_up(api, aws)
    status, started = api.call("post", "/api/users/me/export", token=_login(api, owner))
    assert status == 202
    stranger_token = _login(api, stranger)
    for export_id in (started["exportId"], "ACTIVE", "no-such-export"):
        status, body = api.call("get", f"/api/users/me/export/{export_id}", token=stranger_token)
        assert status == 404 and body["error"] == "EXPORT_NOT_FOUND", export_id
    status, listing = api.call("get", "/api/users/me/exports", token=stranger_token)
    assert status == 200 and listing["exports"] == []


def test_a_part_for_an_unknown_export_is_ignored_and_a_malformed_one_fails(api, aws):
    stray = UserExportPartReady(exportId="0000000000-none", email="nobody@example.com", context="practice")
    assert api.deliver("collect_export_parts", "identity-events", stray, '{"type": "user_export_part_ready"}') == [1]


def test_exports_need_a_token(api):
    status, body = api.call("post", "/api/users/me/export")
    assert status == 401


def _swept_at(seconds_later):
    """The sweep as its schedule runs it, on a clock ``seconds_later`` than now."""
    import dataclasses
    import time

    from chalicelib import export_service
    from chalicelib.wiring import data_exports

    return export_service.sweep(dataclasses.replace(data_exports(), clock=lambda: time.time() + seconds_later))


def test_the_sweep_fails_an_abandoned_export_and_erases_an_expired_one(api, aws):
    from chalicelib import exports

    email = signed_up(api, aws)
    token = _login(api, email)
    bucket, s3 = aws.settings.name("user-content"), aws.client("s3")

    def stored(export_id):
        return s3.list_objects_v2(Bucket=bucket, Prefix=f"exports/{export_id}/").get("KeyCount", 0)

    abandoned = api.call("post", "/api/users/me/export", token=token)[1]["exportId"]
    assert stored(abandoned) == 1  # identity's own part
    assert _swept_at(exports.EXPORT_DEADLINE_SECONDS + 60).failed >= 1
    status, failed = api.call("get", f"/api/users/me/export/{abandoned}", token=token)
    assert (status, failed["status"]) == (200, "FAILED") and "matching" in failed["reason"], failed
    assert stored(abandoned) == 0

    status, started = api.call("post", "/api/users/me/export", token=token)  # not a 409: the user asks again
    assert status == 202, started
    export_id = started["exportId"]
    others = [c for c in EXPORT_CONTEXTS if c != "identity"]
    parts = [_part(aws, export_id, email, c, "data.json", {"context": c}) for c in others]
    assert api.deliver("collect_export_parts", "identity-events", *parts) == []
    assert api.call("get", f"/api/users/me/export/{export_id}", token=token)[1]["status"] == "READY"
    assert _swept_at(exports.EXPORT_KEEP_SECONDS - 600).expired == 0 and stored(export_id) == len(others) + 2
    assert _swept_at(exports.EXPORT_KEEP_SECONDS + 600).expired >= 1
    assert stored(export_id) == 0  # the ZIP and every part
    status, expired = api.call("get", f"/api/users/me/export/{export_id}", token=token)
    assert (status, expired["status"], expired["downloadUrl"]) == (200, "EXPIRED", None)
