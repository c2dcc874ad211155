"""Builds matching's use-case context from settings, once, on first use (not at import)."""

from __future__ import annotations

import functools

from speaktracker.aws import AwsClients
from speaktracker.events import publisher_from
from speaktracker.settings import get_settings

from .adapters.erasure import DynamoMatchingErasure
from .adapters.outbox import DynamoOutbox
from .adapters.requests import DynamoLinks, DynamoRequests
from .adapters.tutors import DynamoStudents, DynamoTutors
from .service import Matching


@functools.cache
def matching() -> Matching:
    settings = get_settings()
    clients = AwsClients(settings)
    dynamodb = clients.client("dynamodb")
    tutors, requests, links = (settings.name(t) for t in ("tutors", "tutor-requests", "tutor-students"))
    return Matching(
        tutors=DynamoTutors(dynamodb, tutors),
        students=DynamoStudents(dynamodb, tutors),
        requests=DynamoRequests(dynamodb, requests, tutors),
        links=DynamoLinks(dynamodb, links, requests, tutors),
        outbox=DynamoOutbox(dynamodb, requests),
        erasure=DynamoMatchingErasure(dynamodb, requests, tutors),
        events=publisher_from(clients),
    )
