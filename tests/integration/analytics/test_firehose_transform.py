"""The analytics transformation Lambda against the emulator, configured as Terraform configures it in AWS: only
the platform secret's ARN (``SPEAKTRACKER_PLATFORM_SECRET_ID``), the secret itself in Secrets Manager. For the same
secret it archives exactly the line the dev stack's sink writes, so a learner has one pseudonym everywhere."""

import json
import os

import pytest
from speaktracker.analytics_archive import firehose_handler
from speaktracker.events import PracticeResult
from speaktracker.privacy import platform_pseudonyms
from speaktracker_dev.analytics_sink import LocalEventArchive, archive_handler, pseudonyms_of
from speaktracker_dev.platform_secret import SECRET_FILE
from support.emulator import Emulator
from support.firehose import invocation, line_of, tutor_request
from support.platform_secret import TEST_PLATFORM_SECRET


@pytest.fixture(scope="module")
def aws():
    saved = os.environ.pop("SPEAKTRACKER_PLATFORM_SECRET", None)  # as in AWS: the ARN only
    with Emulator() as emulator:
        yield emulator
    if saved is not None:
        os.environ["SPEAKTRACKER_PLATFORM_SECRET"] = saved


def test_the_lambda_archives_what_the_dev_sink_archives_for_the_same_secret(aws, tmp_path):
    secret_id = os.environ["SPEAKTRACKER_PLATFORM_SECRET_ID"]
    stored = aws.client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"]
    assert stored == TEST_PLATFORM_SECRET and "SPEAKTRACKER_PLATFORM_SECRET" not in os.environ
    events = [
        tutor_request("Park@Example.com", "박학생"),
        PracticeResult(
            resultId="res-1",
            sessionId="s-1",
            studentEmail="park@example.com",
            originalText="I would like a cup of coffee.",
            overallScore=81.5,
            grade="B",
            level="beginner",
        ).to_json(),
    ]

    answers = firehose_handler(invocation(*events), None)["records"]

    # The dev stack whose state directory holds the same platform secret, archiving the same events.
    state = tmp_path / "state"
    state.mkdir()
    (state / SECRET_FILE).write_text(stored)
    archive = LocalEventArchive(state / "analytics", pseudonyms_of(state))
    sqs_batch = {"Records": [{"messageId": f"m{n}", "body": body} for n, body in enumerate(events)]}
    assert archive_handler(archive)(sqs_batch) == {"batchItemFailures": []}
    dev_lines = sorted(line for path in (state / "analytics").rglob("*.json") for line in path.read_text().splitlines())

    assert [a["result"] for a in answers] == ["Ok", "Ok"]
    aws_lines = sorted(line_of(a) for a in answers)
    assert aws_lines == dev_lines
    park = platform_pseudonyms(stored).of("park@example.com")
    assert [json.loads(line)["studentEmail"] for line in aws_lines] == [park, park]
    assert "example.com" not in "".join(aws_lines).lower() and "박학생" not in "".join(aws_lines)
