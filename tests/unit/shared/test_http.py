import json

import pytest
from chalice import Chalice
from chalice.test import Client
from pydantic import BaseModel, Field
from speaktracker.auth import JwksCache, TokenVerifier
from speaktracker.errors import Conflict
from speaktracker.http import ANY_ROLE, Routes
from support.tokens import CLIENT_ID, ISSUER, SigningKey

KEY = SigningKey()


class Greeting(BaseModel):
    name: str = Field(min_length=1)
    times: int = Field(1, ge=1, le=3)


class Page(BaseModel):
    limit: int = Field(10, ge=1, le=50)


def make_app():
    app = Chalice("test")
    verifier = TokenVerifier(ISSUER, CLIENT_ID, JwksCache(KEY.jwks))
    routes = Routes(app, lambda: verifier)

    @routes.post("/greet", body=Greeting, status=201)
    def greet(body: Greeting):
        return {"text": " ".join([f"hi {body.name}"] * body.times)}

    @routes.get("/items/{item_id}", query=Page, roles=ANY_ROLE)
    def item(item_id: str, query: Page, principal):
        return {"id": item_id, "limit": query.limit, "by": principal.email}

    @routes.get("/tutors-only", roles=["tutor"])
    def tutors_only():
        return {"ok": True}

    @routes.post("/conflict")
    def conflict():
        raise Conflict("Already there.", "ALREADY")

    @routes.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    return app


@pytest.fixture
def client():
    with Client(make_app()) as c:
        yield c


def call(client, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = getattr(client.http, method)(
        path, headers=headers, body=body if isinstance(body, (str, bytes)) else json.dumps(body or {})
    )
    return response.status_code, json.loads(response.body)


def test_valid_body_and_custom_status(client):
    assert call(client, "post", "/greet", {"name": "Kim", "times": 2}) == (201, {"text": "hi Kim hi Kim"})


@pytest.mark.parametrize(
    "body, code",
    [
        ({}, "VALIDATION_FAILED"),
        ({"name": ""}, "VALIDATION_FAILED"),
        ({"name": "Kim", "times": 9}, "VALIDATION_FAILED"),
        ("{not json", "INVALID_JSON"),
        ("", "VALIDATION_FAILED"),
    ],
)
def test_bad_bodies_are_400_with_a_code_and_request_id(client, body, code):
    status, payload = call(client, "post", "/greet", body)
    assert status == 400
    assert payload["error"] == code and payload["message"] and payload["requestId"]


def test_missing_field_is_named(client):
    _, payload = call(client, "post", "/greet", {"times": 1})
    assert payload["details"][0]["field"] == "name"


def test_auth_query_and_path(client):
    status, payload = call(client, "get", "/items/42?limit=5", token=KEY.token("a@b.co"))
    assert (status, payload) == (200, {"id": "42", "limit": 5, "by": "a@b.co"})
    status, payload = call(client, "get", "/items/42?limit=500", token=KEY.token())
    assert status == 400


def test_no_token_and_bad_token_are_401(client):
    assert call(client, "get", "/items/1")[1]["error"] == "TOKEN_MISSING"
    status, payload = call(client, "get", "/items/1", token="garbage")
    assert (status, payload["error"]) == (401, "TOKEN_INVALID")


def test_wrong_role_is_403(client):
    status, payload = call(client, "get", "/tutors-only", token=KEY.token(role="student"))
    assert (status, payload["error"]) == (403, "ROLE_REQUIRED")
    assert call(client, "get", "/tutors-only", token=KEY.token(role="tutor"))[0] == 200


def test_domain_error_maps_to_its_status(client):
    status, payload = call(client, "post", "/conflict")
    assert (status, payload["error"], payload["message"]) == (409, "ALREADY", "Already there.")


def test_unexpected_error_is_500_without_internals(client):
    status, payload = call(client, "get", "/boom")
    assert status == 500 and payload["error"] == "INTERNAL_ERROR"
    assert "secret" not in json.dumps(payload)
