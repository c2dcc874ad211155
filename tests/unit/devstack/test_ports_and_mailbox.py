import json

import pytest
from speaktracker_dev.mailbox import EmbeddedEmulatorMailbox, localstack_letter
from speaktracker_dev.ports import StackPorts, StackUrls


def test_default_ports_are_the_documented_ones():
    assert StackPorts.from_environment({}).all() == {
        "identity": 8001,
        "matching": 8002,
        "practice": 8003,
        "conversation": 8004,
        "notifications": 8005,
        "websocket": 8006,
        "web": 8080,
        "emulator": 4566,
    }


def test_a_base_port_shifts_everything_and_single_ports_override():
    ports = StackPorts.from_environment(
        {"SPEAKTRACKER_DEV_BASE_PORT": "9001", "SPEAKTRACKER_DEV_PORTS": "web=7000, emulator=7001"}
    )
    assert (ports.identity, ports.notifications, ports.websocket, ports.web, ports.emulator) == (
        9001,
        9005,
        9006,
        7000,
        7001,
    )


@pytest.mark.parametrize("bad", ["web", "web=x", "nonsense=1"])
def test_a_bad_port_setting_says_what_is_expected(bad):
    with pytest.raises(ValueError, match="name=port"):
        StackPorts.resolve(overrides=bad)


def test_config_document_lists_services_and_websocket():
    urls = StackUrls(StackPorts())
    assert urls.config_document("ap-northeast-2") == {
        "region": "ap-northeast-2",
        "services": {
            "identity": "http://127.0.0.1:8001",
            "matching": "http://127.0.0.1:8002",
            "practice": "http://127.0.0.1:8003",
            "conversation": "http://127.0.0.1:8004",
            "notifications": "http://127.0.0.1:8005",
        },
        "websocket": "ws://127.0.0.1:8006",
    }


def test_the_emulator_mailbox_keeps_each_recipients_mail_newest_first(emulator):
    ses = emulator.client("ses")
    sender = emulator.settings.mail_sender
    for n in (1, 2):
        ses.send_email(
            Source=sender,
            Destination={"ToAddresses": ["Min@Example.com"], "CcAddresses": ["cc@example.com"]},
            Message={"Subject": {"Data": f"코드 {n}"}, "Body": {"Text": {"Data": f"Your code is 00000{n}"}}},
        )
    ses.send_raw_email(
        Source=sender,
        Destinations=["raw@example.com"],
        RawMessage={
            "Data": (
                f"From: {sender}\nTo: raw@example.com\nSubject: Raw hello\nContent-Type: text/plain; charset=utf-8\n\n"
                "Plain body\n"
            )
        },
    )
    mailbox = EmbeddedEmulatorMailbox(emulator.endpoint)
    letters = mailbox.messages_to("min@example.com")
    assert [(m["subject"], m["body"]) for m in letters] == [
        ("코드 2", "Your code is 000002"),
        ("코드 1", "Your code is 000001"),
    ]
    assert letters[0]["to"] == ["Min@Example.com", "cc@example.com"] and letters[0]["from"] == sender
    assert letters[0]["sentAt"] >= letters[1]["sentAt"]
    assert [m["subject"] for m in mailbox.messages_to("cc@example.com")] == ["코드 2", "코드 1"]
    [raw] = mailbox.messages_to("raw@example.com")
    assert (raw["subject"], raw["body"].strip()) == ("Raw hello", "Plain body")
    assert mailbox.messages_to("nobody@example.com") == []


def test_localstack_outbox_entries_read_like_ours():
    entry = json.loads("""{"Id": "abc", "Region": "ap-northeast-2", "Timestamp": "2026-03-01T10:00:00.000Z",
        "Destination": {"ToAddresses": ["kim@example.com"]}, "Source": "no-reply@speaktracker.app",
        "Subject": "Your code", "Body": {"text_part": "123456", "html_part": null}}""")
    assert localstack_letter(entry) == {
        "to": ["kim@example.com"],
        "from": "no-reply@speaktracker.app",
        "subject": "Your code",
        "body": "123456",
        "sentAt": "2026-03-01T10:00:00.000Z",
    }
