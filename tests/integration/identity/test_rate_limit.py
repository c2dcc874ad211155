"""The per-user rate limit against the emulator's DynamoDB (seed 002: 100 requests a minute per user)."""

import json
import time

from speaktracker.ratelimit import counter_subject
from speaktracker.settings import get_settings


def _wait_for_a_fresh_window(seconds_needed: float) -> None:
    # The counted requests must fall in one window for the 101st to be refused; start early in one.
    into = time.time() % get_settings().rate_limit_window_seconds
    if into > get_settings().rate_limit_window_seconds - seconds_needed:
        time.sleep(get_settings().rate_limit_window_seconds - into + 0.1)


def test_the_101st_request_in_a_minute_is_refused_with_retry_after_and_others_are_not(aws, api):
    kim = aws.user("ratelimit-kim@example.com", "student")
    lee = aws.user("ratelimit-lee@example.com", "tutor")
    limit = get_settings().rate_limit_per_user
    assert limit == 100
    _wait_for_a_fresh_window(40)
    started = time.time()
    # Cognito users without a profile row: each call is a counted 404, as good as a 200 for the limit.
    answers = [api.call("get", "/api/users/me", user=kim)[0] for _ in range(limit)]
    assert answers == [404] * limit
    response = api.client.http.get("/api/users/me", headers={"Authorization": f"Bearer {kim.access_token}"})
    window = get_settings().rate_limit_window_seconds
    assert started // window == time.time() // window, "the requests spanned two windows; run it again"
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert json.loads(response.body)["error"] == "RATE_LIMITED"
    assert api.call("get", "/api/users/me", user=lee)[0] == 404
    counters = aws.client("dynamodb").scan(TableName=get_settings().name("rate-limits"))["Items"]
    kims = [
        c for c in counters if c["counterKey"]["S"].startswith(f"{counter_subject('user:ratelimit-kim@example.com')}#")
    ]
    assert [int(c["hits"]["N"]) for c in kims] == [limit]  # refused requests are not counted
    assert all(int(c["ttl"]["N"]) > time.time() for c in kims)
