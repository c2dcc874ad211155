"""Moves a queue's dead letters back to it once the bug that sent them there is fixed (``make redrive QUEUE=tts``).

    python scripts/redrive.py notifications-events      # a catalogue queue's logical name (or its full name)

SQS's own StartMessageMoveTask does it against AWS (no ``AWS_ENDPOINT_URL``; ``--move-task`` asks for it on an
endpoint that has it, such as LocalStack); against an emulator (moto answers it with a 500) messages are
received from the dead-letter queue in batches of ten, sent to the source queue with their body and attributes,
and deleted from the dead-letter queue only once the send succeeded. A message
therefore leaves the dead-letter queue only when it is back in its queue, and running the command again moves
only what is still there. If the process dies between a send and its delete, that message is delivered twice:
every consumer is idempotent by event or job id, so it is still processed once.

It reads the stack's environment (``make redrive`` loads ``.dev/stack.env`` when the dev stack wrote one).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any

SQS_MAX_BATCH = 10


@dataclass(frozen=True)
class Redrive:
    queue_url: str
    dead_letter_url: str
    moved: int  # messages moved by this process (0 when SQS's own move task does it)
    task_handle: str | None = None  # the StartMessageMoveTask handle, when SQS moves them


def dead_letter_queue_of(sqs: Any, queue_url: str) -> tuple[str, str]:
    """(source ARN, dead-letter queue URL) from the queue's redrive policy."""
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn", "RedrivePolicy"])
    policy = attributes["Attributes"].get("RedrivePolicy")
    if not policy:
        raise SystemExit(f"{queue_url} has no redrive policy, so no dead-letter queue to move messages from.")
    dead_letter_name = json.loads(policy)["deadLetterTargetArn"].rsplit(":", 1)[1]
    return attributes["Attributes"]["QueueArn"], sqs.get_queue_url(QueueName=dead_letter_name)["QueueUrl"]


def redrive(sqs: Any, queue_url: str, use_move_task: bool = False) -> Redrive:
    source_arn, dead_letter_url = dead_letter_queue_of(sqs, queue_url)
    if use_move_task:
        dead_letter_arn = sqs.get_queue_attributes(QueueUrl=dead_letter_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        task = sqs.start_message_move_task(SourceArn=dead_letter_arn, DestinationArn=source_arn)
        return Redrive(queue_url, dead_letter_url, 0, task["TaskHandle"])
    return Redrive(queue_url, dead_letter_url, move_in_batches(sqs, dead_letter_url, queue_url))


def move_in_batches(sqs: Any, from_url: str, to_url: str, visibility_seconds: int = 60) -> int:
    """Receive, send, then delete what was sent, until the dead-letter queue answers empty."""
    moved = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=from_url,
            MaxNumberOfMessages=SQS_MAX_BATCH,
            WaitTimeSeconds=0,
            VisibilityTimeout=visibility_seconds,
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return moved
        entries = [
            {
                "Id": str(i),
                "MessageBody": m["Body"],
                **({"MessageAttributes": m["MessageAttributes"]} if m.get("MessageAttributes") else {}),
            }
            for i, m in enumerate(messages)
        ]
        sent = sqs.send_message_batch(QueueUrl=to_url, Entries=entries)
        sent_ids = {int(entry["Id"]) for entry in sent.get("Successful", [])}
        if sent.get("Failed"):
            print(
                f"could not send {len(sent['Failed'])} message(s); they stay in the dead-letter queue: "
                f"{sent['Failed']}",
                file=sys.stderr,
            )
        done = [{"Id": str(i), "ReceiptHandle": messages[i]["ReceiptHandle"]} for i in sorted(sent_ids)]
        if done:
            sqs.delete_message_batch(QueueUrl=from_url, Entries=done)
        moved += len(done)
        if not done:  # nothing could be sent: stop rather than spin on the same messages
            return moved


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queue", help="the source queue's logical name (tts, ai-chat, ...) or its full name")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--move-task", action="store_true", default=None, help="use SQS StartMessageMoveTask")
    how.add_argument("--no-move-task", dest="move_task", action="store_false", help="move in batches")
    options = parser.parse_args(argv)

    from speaktracker.aws import AwsClients
    from speaktracker.settings import get_settings

    settings = get_settings()
    sqs = AwsClients(settings).client("sqs")
    name = options.queue if options.queue.startswith(f"{settings.resource_prefix}-") else settings.name(options.queue)
    move_task = options.move_task if options.move_task is not None else not settings.aws_endpoint_url
    result = redrive(sqs, sqs.get_queue_url(QueueName=name)["QueueUrl"], use_move_task=move_task)
    if result.task_handle:
        print(f"{name}: SQS is moving the dead letters back (task {result.task_handle})")
    else:
        print(f"{name}: moved {result.moved} message(s) back from its dead-letter queue")


if __name__ == "__main__":
    main()
