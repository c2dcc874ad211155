"""The analytics transformation Lambda (speaktracker.analytics_archive): what one Firehose batch costs it.

Firehose buffers up to ``BufferSizeInMBs`` (1 MB, terraform/modules/analytics) of raw-delivered events for one
invocation, and Lambda's answer may not exceed 6 MB. A batch of the product's events (a practice result, a session
end, a conversation turn, a tutor match, a feedback, in turn) filling 1 MB is transformed ``--repeat`` times in
this process: the median time per batch and per record, and the answer's size against the batch's.

    python scripts/bench_analytics_transform.py [--repeat 20] [--megabytes 1]
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import sys
import time
import uuid

from speaktracker.analytics_archive import transform_firehose_records
from speaktracker.events import (
    ConversationTurnCompleted,
    FeedbackSent,
    PracticeResult,
    PracticeSessionEnded,
    TutorMatch,
)
from speaktracker.privacy import Pseudonyms


def sample_event(n: int) -> str:
    student, tutor = f"student.{n % 500}@example.com", f"tutor.{n % 40}@example.com"
    samples = [
        lambda: PracticeResult(
            studentEmail=student,
            resultId=str(uuid.uuid4()),
            originalText="Could you tell me the way to the station?",
            overallScore=72.5,
            grade="B",
            level="intermediate",
            sessionId=str(uuid.uuid4()),
            speakingSeconds=3.2,
        ),
        lambda: PracticeSessionEnded(
            studentEmail=student,
            sessionId=str(uuid.uuid4()),
            sessionType="practice",
            startedAt="2026-12-01T10:00:00Z",
            durationSeconds=300,
            evaluationCount=5,
        ),
        lambda: ConversationTurnCompleted(
            studentEmail=student,
            conversationId=str(uuid.uuid4()),
            requestId=str(uuid.uuid4()),
            turnIndex=n % 12,
            words=9,
            speakingSeconds=4.1,
        ),
        lambda: TutorMatch(
            action="requested", studentEmail=student, tutorEmail=tutor, studentName="김민지", tutorName="Choi"
        ),
        lambda: FeedbackSent(
            feedbackId=str(uuid.uuid4()),
            studentEmail=student,
            tutorEmail=tutor,
            message="발음이 좋아졌어요!",
            timestamp="2026-12-01T10:05:00Z",
        ),
    ]
    return samples[n % len(samples)]().to_json()


def batch_of(megabytes: float) -> tuple[dict, int]:
    records, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        body = sample_event(n).encode()
        records.append({"recordId": str(n), "approximateArrivalTimestamp": 0, "data": base64.b64encode(body).decode()})
        size, n = size + len(body), n + 1
    return {"invocationId": "bench", "records": records}, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--megabytes", type=float, default=1.0)
    args = parser.parse_args()
    invocation, size = batch_of(args.megabytes)
    pseudonyms = Pseudonyms(bytes(range(32)))
    times, answer = [], {}
    for _ in range(args.repeat):
        started = time.perf_counter()
        answer = transform_firehose_records(invocation, pseudonyms)
        times.append(time.perf_counter() - started)
    assert all(r["result"] == "Ok" for r in answer["records"])
    count = len(invocation["records"])
    out = sum(len(base64.b64decode(r["data"])) for r in answer["records"])
    response = len(json.dumps(answer))
    median = statistics.median(times)
    print(f"batch: {count} events, {size / 1e6:.2f} MB raw ({args.repeat} runs)")
    print(f"transform: median {median * 1000:.0f} ms per batch, {median / count * 1e6:.1f} us per event")
    print(f"archived lines: {out / 1e6:.2f} MB ({out / size:.2f} x the raw events)")
    print(f"Lambda answer (base64 JSON): {response / 1e6:.2f} MB of the 6 MB limit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
