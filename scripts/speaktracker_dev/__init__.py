"""SpeakTracker's offline dev stack: ``python -m speaktracker_dev`` (``make dev``).

    emulator.py          moto's server as a child process, plus the dev mailbox of its SES outbox
    bootstrap.py         the resource catalogue (speaktracker.catalogue) into the emulator, idempotently
    host.py              one process per service: chalice's local REST server, a poller per SQS handler,
                         a thread per scheduled function, and in the notifications host the WebSocket gateway
    poller.py            Lambda's SQS event source mapping: batch size, partial batch failures, redrive
    schedules.py         EventBridge's rate schedules for @app.schedule functions (at most a minute apart)
    gateway.py           API Gateway's WebSocket API and its @connections management API
    websocket_events.py  the $connect / $default / $disconnect events handlers receive
    web.py, mailbox.py   the web server: the SPA (status page at /dev/), /config.json, /dev/mailbox, /dev/status.json
    stack.py             the supervisor: start in order, wait for health, print the URLs, stop in order
    ports.py             where everything listens (overridable), and the URLs clients discover

Choices worth knowing:

- One process per service, because every service has modules named ``app`` and ``chalicelib``.
- The dev mailbox is served by the emulator process itself (``/_speaktracker/mailbox``): moto keeps sent
  email in its own memory and records no send time, and ``/moto-api/data.json`` dumps every model of every
  service. The web server reads it over HTTP, as it reads LocalStack's ``/_aws/ses``.
- A failed SQS message is made visible again after one second instead of the queue's visibility timeout
  (minutes), so redrive to the dead-letter queue after ``maxReceiveCount`` takes seconds in dev. moto moves a
  message on the first receive after its receive count reached ``maxReceiveCount``, as SQS does.
- The web server starts only once every service and the gateway answer ``/health``: when
  ``/config.json`` answers, the whole stack is up.
- Children run in their own sessions: Ctrl-C reaches the supervisor, which stops the web server, then the
  hosts (their ``$disconnect`` handlers still reach the emulator), then the emulator. Each child also stops
  by itself when the supervisor disappears, so a killed run leaves no process holding a port.
- The stack talks to the emulator with fake credentials and ignores ``AWS_PROFILE``: nothing can reach AWS.
"""
