"""In-memory stand-ins for the inbox, feedback, link and push ports."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.ports import Page


class FakeInbox:
    def __init__(self):
        self.rows = {}

    def add(self, note):
        key = (note.user_email, note.notification_id)
        if key in self.rows:
            return False
        self.rows[key] = note
        return True

    def get(self, user_email, notification_id):
        return self.rows.get((user_email, notification_id))

    def mark_pushed(self, user_email, notification_id):
        self.rows[(user_email, notification_id)] = replace(self.rows[(user_email, notification_id)], pushed=True)

    def mark_read(self, user_email, notification_id):
        if (user_email, notification_id) not in self.rows:
            return False
        self.rows[(user_email, notification_id)] = replace(self.rows[(user_email, notification_id)], read=True)
        return True

    def unread_ids(self, user_email):
        return [n.notification_id for (u, _), n in self.rows.items() if u == user_email and not n.read]

    def page(self, user_email, unread_only, cursor, limit, caller):
        notes = sorted(
            (n for (u, _), n in self.rows.items() if u == user_email and not (unread_only and n.read)),
            key=lambda n: n.notification_id,
            reverse=True,
        )
        return Page([n.as_json() for n in notes[:limit]], None)

    def of(self, user_email):
        return [n for (u, _), n in self.rows.items() if u == user_email]


class FakeFeedback:
    def __init__(self):
        self.rows = []

    def add(self, feedback):
        self.rows.append(feedback)

    def remove(self, tutor_email, student_email, timestamp):
        self.rows = [
            r
            for r in self.rows
            if (r.tutor_email, r.student_email, r.timestamp) != (tutor_email, student_email, timestamp)
        ]

    def mark_sent(self, tutor_email, student_email, timestamp):
        for i, row in enumerate(self.rows):
            if (row.tutor_email, row.student_email, row.timestamp) == (tutor_email, student_email, timestamp):
                self.rows[i] = replace(row, websocket_sent=True)
                return
        raise AssertionError("no such feedback")

    def for_student(self, student_email, cursor, limit, caller):
        return Page([r.as_json() for r in self.rows if r.student_email == student_email][:limit], None)

    def from_tutor(self, tutor_email, student_email, cursor, limit, caller):
        return Page(
            [
                r.as_json()
                for r in self.rows
                if r.tutor_email == tutor_email and (student_email is None or r.student_email == student_email)
            ][:limit],
            None,
        )


class FakePush:
    """Users listed in ``online`` have one live connection each; ``broken`` makes every push fail."""

    def __init__(self, *online):
        self.online = set(online)
        self.broken = False
        self.frames = []

    def push(self, user_email, frame):
        if self.broken or user_email not in self.online:
            return 0
        self.frames.append((user_email, frame))
        return 1

    def to(self, user_email):
        return [f for u, f in self.frames if u == user_email]


class FakeEvents:
    def __init__(self):
        self.published = []

    def publish(self, event):
        self.published.append(event)


class FakeErasure:
    """Erases from the other fakes what the DynamoDB adapter erases from the tables."""

    def __init__(self, inbox, feedback, links):
        self.inbox, self.feedback, self.links = inbox, feedback, links

    def erase_user(self, email):
        self.inbox.rows = {
            key: note
            for key, note in self.inbox.rows.items()
            if email not in (note.user_email, note.data.get("studentEmail"), note.data.get("tutorEmail"))
        }
        self.feedback.rows = [f for f in self.feedback.rows if email not in (f.tutor_email, f.student_email)]
        self.links.rows.pop(email, None)


class FakeReceipts:
    def __init__(self) -> None:
        self.claimed: set[tuple[str, str]] = set()

    def claim(self, user_email: str, event_id: str, expires_at: int) -> bool:
        if (user_email, event_id) in self.claimed:
            return False
        self.claimed.add((user_email, event_id))
        return True
