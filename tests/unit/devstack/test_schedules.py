import threading
import time

from chalice import Chalice, Cron, Rate
from speaktracker_dev.schedules import scheduled_functions, start_schedules


def app_with_schedules(calls, fail_first=False):
    app = Chalice(app_name="schedules")

    @app.schedule(Rate(5, unit=Rate.MINUTES))
    def every_five_minutes(event):
        calls.append((event.detail_type, event.source))
        if fail_first and len(calls) == 1:
            raise RuntimeError("the first run broke")

    @app.schedule(Rate(1, unit=Rate.DAYS))
    def daily(event):
        pass

    @app.schedule(Cron(0, 3, "*", "*", "?", "*"))
    def at_three(event):
        pass

    return app


def test_rate_schedules_are_found_with_their_period_and_cron_ones_are_skipped():
    found = {f.function_name: f.period_seconds for f in scheduled_functions(app_with_schedules([]))}
    assert found == {"every_five_minutes": 300.0, "daily": 86_400.0}
    capped = {f.function_name: f.period_seconds for f in scheduled_functions(app_with_schedules([]), 60)}
    assert capped == {"every_five_minutes": 60.0, "daily": 60.0}


def test_a_scheduled_function_gets_a_scheduled_event_every_period_and_survives_a_failure_until_stopped():
    calls, stop = [], threading.Event()
    threads = start_schedules(app_with_schedules(calls, fail_first=True), stop, max_period_seconds=0.05)
    deadline = time.monotonic() + 5
    while len(calls) < 3:
        assert time.monotonic() < deadline, "the schedule did not keep running"
        time.sleep(0.02)
    stop.set()
    for thread in threads:
        thread.join(timeout=2)
        assert not thread.is_alive()
    assert calls[0] == ("Scheduled Event", "aws.events")
