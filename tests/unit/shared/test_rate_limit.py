"""The request limits: the fixed window with a fake counter store, and Routes applying them (rate per user,
per IP and per email; body size before parsing)."""

import contextlib
import json

import pytest
from chalice import Chalice
from chalice.test import Client
from pydantic import BaseModel
from speaktracker.auth import JwksCache, TokenVerifier
from speaktracker.http import ANY_ROLE, RequestLimits, Routes
from speaktracker.ratelimit import Limit, MemoryWindowCounter, RateLimited, RateLimiter, counter_subject
from support.tokens import CLIENT_ID, ISSUER, SigningKey

KEY = SigningKey()


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_window_admits_the_limit_then_refuses_until_it_ends():
    clock = Clock(60 * 16_667 + 20.0)  # 20 s into a minute window
    limiter = RateLimiter(MemoryWindowCounter(), clock)
    for _ in range(3):
        limiter.check("user:kim", Limit(3, 60))
    with pytest.raises(RateLimited) as refused:
        limiter.check("user:kim", Limit(3, 60))
    assert refused.value.retry_after == 40
    assert refused.value.code == "RATE_LIMITED" and refused.value.status == 429
    clock.now += 40  # the next window
    limiter.check("user:kim", Limit(3, 60))


def test_subjects_are_counted_apart_and_retry_after_is_at_least_one_second():
    clock = Clock(60 * 100 + 59.6)
    limiter = RateLimiter(MemoryWindowCounter(), clock)
    limiter.check("user:kim", Limit(1, 60))
    limiter.check("user:lee", Limit(1, 60))
    with pytest.raises(RateLimited) as refused:
        limiter.check("user:kim", Limit(1, 60))
    assert refused.value.retry_after == 1


def test_refused_requests_do_not_grow_the_counter_and_items_expire_a_window_late():
    seen = []

    class Recording(MemoryWindowCounter):
        def take(self, key, limit, expires_at):
            seen.append((key, expires_at))
            return super().take(key, limit, expires_at)

    counter = Recording()
    limiter = RateLimiter(counter, Clock(120.5))
    for _ in range(5):
        with contextlib.suppress(RateLimited):
            limiter.check("ip:1.2.3.4", Limit(2, 60))
    key = f"{counter_subject('ip:1.2.3.4')}#120"
    assert counter.counts == {key: 2}
    assert seen[0] == (key, 240)
    assert "1.2.3.4" not in key and key.startswith("ip:")  # counters hold no personal data


class Greeting(BaseModel):
    email: str
    text: str = ""


def make_app(limits: RequestLimits):
    app = Chalice("limits")
    verifier = TokenVerifier(ISSUER, CLIENT_ID, JwksCache(KEY.jwks))
    routes = Routes(app, lambda: verifier, limits=limits)

    @routes.get("/me", roles=ANY_ROLE)
    def me(principal):
        return {"email": principal.email}

    @routes.post("/login", body=Greeting)
    def login(body: Greeting):
        return {"email": body.email}

    @routes.post("/upload", roles=ANY_ROLE, content_types=["multipart/form-data"])
    def upload(request):
        return {"bytes": len(request.raw_body)}

    @routes.get("/health", rate_limited=False)
    def health():
        return {"ok": True}

    return app


def limits(counter: MemoryWindowCounter, **overrides) -> RequestLimits:
    limiter = RateLimiter(counter, Clock(6000.0))
    values = {
        "per_user": Limit(2),
        "per_ip": Limit(5),
        "per_email": Limit(2),
        "json_body_bytes": 100,
        "audio_body_bytes": 1000,
        **overrides,
    }
    return RequestLimits(lambda: limiter, **values)


def get(client, path, email):
    return client.http.get(path, headers={"Authorization": f"Bearer {KEY.token(email)}"})


def test_a_user_over_the_limit_gets_429_with_retry_after_and_others_are_not_affected():
    with Client(make_app(limits(MemoryWindowCounter()))) as client:
        assert [get(client, "/me", "kim@example.com").status_code for _ in range(2)] == [200, 200]
        refused = get(client, "/me", "kim@example.com")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "60"
        body = json.loads(refused.body)
        assert body["error"] == "RATE_LIMITED" and body["requestId"]
        assert get(client, "/me", "lee@example.com").status_code == 200


def test_anonymous_routes_count_per_email_and_per_ip_and_health_is_exempt():
    with Client(make_app(limits(MemoryWindowCounter()))) as client:

        def login(email):
            return client.http.post(
                "/login", headers={"Content-Type": "application/json"}, body=json.dumps({"email": email})
            ).status_code

        assert [login("Kim@example.com"), login("kim@example.com"), login("kim@example.com")] == [200, 200, 429]
        assert [login("lee@example.com"), login("lee@example.com")] == [200, 200]
        assert login("park@example.com") == 429  # six requests from one address, five allowed
        assert all(client.http.get("/health").status_code == 200 for _ in range(10))


def test_a_body_over_the_route_limit_is_refused_with_413_before_it_is_parsed():
    with Client(make_app(limits(MemoryWindowCounter()))) as client:
        refused = client.http.post(
            "/login", headers={"Content-Type": "application/json"}, body="{" + "x" * 200
        )  # not even JSON: the size is checked first
        assert refused.status_code == 413
        assert json.loads(refused.body)["error"] == "BODY_TOO_LARGE"
        token = {
            "Authorization": f"Bearer {KEY.token('kim@example.com')}",
            "Content-Type": "multipart/form-data; boundary=x",
        }
        assert client.http.post("/upload", headers=token, body=b"a" * 900).status_code == 200  # the audio limit
        assert client.http.post("/upload", headers=token, body=b"a" * 1001).status_code == 413


def test_a_failing_counter_store_serves_the_request():
    class Down(MemoryWindowCounter):
        def take(self, key, limit, expires_at):
            raise ConnectionError("DynamoDB unreachable")

    with Client(make_app(limits(Down()))) as client:
        assert get(client, "/me", "kim@example.com").status_code == 200
