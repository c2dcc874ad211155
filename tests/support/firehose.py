"""Firehose's data-transformation invocations as AWS sends them to the analytics transformation Lambda: each
raw-delivered SNS message base64 in a record of its own id, and the answer's data decoded back."""

from __future__ import annotations

import base64
import json
from typing import Any

from speaktracker.events import TutorMatch

STREAM_ARN = "arn:aws:firehose:ap-northeast-2:123456789012:deliverystream/speaktracker-test-analytics-events"


def invocation(*bodies: str | bytes) -> dict[str, Any]:
    return {
        "invocationId": "6b1c2a4e-0000-4000-8000-000000000001",
        "deliveryStreamArn": STREAM_ARN,
        "region": "ap-northeast-2",
        "records": [
            {
                "recordId": f"49590338271490256608559692538361571095921575989136588898{n:04d}",
                "approximateArrivalTimestamp": 1764633600000 + n,
                "data": base64.b64encode(body.encode() if isinstance(body, str) else body).decode(),
            }
            for n, body in enumerate(bodies)
        ],
    }


def line_of(answer: dict[str, Any]) -> str:
    """The archived line an answered record carries."""
    return base64.b64decode(answer["data"]).decode()


def record_of(answer: dict[str, Any]) -> dict[str, Any]:
    return json.loads(line_of(answer))


def tutor_request(student_email: str = "kim@example.com", student_name: str = "김학생") -> str:
    """A tutor request as matching publishes it: both emails, both names and the student's message naming them."""
    return TutorMatch(
        requestId="r-1",
        action="requested",
        studentEmail=student_email,
        studentName=student_name,
        tutorEmail="choi@example.com",
        tutorName="Choi",
        message=f"{student_email} 입니다, 도와주세요",
    ).to_json()
