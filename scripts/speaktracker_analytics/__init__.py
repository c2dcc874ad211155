"""Learning analytics over the archived domain events (``make analytics``).

Every event on the events topic is archived as newline-delimited JSON under
``events/type=<type>/dt=YYYY-MM-DD/``: in AWS by Kinesis Data Firehose into the analytics bucket (a Glue table
over it for Athena), in the dev stack by ``speaktracker_dev.analytics_sink`` under ``.dev/analytics/``.

- ``layout``: the partition layout and the columns of each event type, derived from ``speaktracker.events``;
- ``queries``: the business's questions in SQL (DuckDB over the files);
- ``charts``: the PNG charts; ``__main__``: prints the answers and draws the charts.
"""
