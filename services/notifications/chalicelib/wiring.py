"""Builds the inbox, feedback and push use-case context from settings, once, on first use."""

from __future__ import annotations

import functools
import time

from speaktracker.aws import AwsClients
from speaktracker.events import publisher_from
from speaktracker.settings import get_settings
from speaktracker.student_handles import DynamoStudentHandles
from speaktracker.tutor_links import DynamoTutorLinks

from .adapters.dynamodb_connections import DynamoConnections
from .adapters.dynamodb_erasure import DynamoNotificationsErasure
from .adapters.dynamodb_feedback import DynamoFeedbackLog
from .adapters.dynamodb_inbox import DynamoNotificationInbox
from .adapters.dynamodb_receipts import DynamoPushReceipts
from .adapters.push import ApiGatewayPush
from .service import Notifications


@functools.cache
def notifications() -> Notifications:
    settings = get_settings()
    clients = AwsClients(settings)
    dynamodb = clients.client("dynamodb")
    management = clients.session.client(
        "apigatewaymanagementapi", region_name=settings.region, endpoint_url=settings.websocket_management_url
    )
    connections = DynamoConnections(dynamodb, settings.name("websocket-connections"))
    return Notifications(
        inbox=DynamoNotificationInbox(dynamodb, settings.name("notifications"), time.time),
        feedback=DynamoFeedbackLog(dynamodb, settings.name("feedback-messages")),
        links=DynamoTutorLinks(dynamodb, settings.name("tutor-links"), lambda email: {"studentEmail": email}),
        live=ApiGatewayPush(management, connections),
        events=publisher_from(clients),
        erasure=DynamoNotificationsErasure(dynamodb, settings.name),
        receipts=DynamoPushReceipts(dynamodb, settings.name("push-receipts"), time.time),
        handles=DynamoStudentHandles(dynamodb, settings.name("tutor-links"), lambda name: {"studentEmail": name}),
    )
