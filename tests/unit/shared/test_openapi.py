"""The OpenAPI document is built from the routes as registered: bodies, queries, answers, roles, statuses."""

from chalice import Chalice
from chalice.test import Client
from pydantic import BaseModel, Field
from speaktracker.auth import JwksCache, TokenVerifier
from speaktracker.http import ANY_ROLE, Routes
from support.tokens import CLIENT_ID, ISSUER, SigningKey


class Greeting(BaseModel):
    name: str = Field(min_length=1)


class Page(BaseModel):
    limit: int = Field(10, ge=1, le=50)
    after: str | None = None


class Item(BaseModel):
    id: str
    owner_email: str = Field(serialization_alias="ownerEmail")


def make_routes():
    app = Chalice("test")
    verifier = TokenVerifier(ISSUER, CLIENT_ID, JwksCache(SigningKey().jwks))
    routes = Routes(app, lambda: verifier)

    @routes.post("/greet", body=Greeting, status=201)
    def greet(body: Greeting):
        """Say hello."""
        return {"text": body.name}

    @routes.get("/items/{item_id}", query=Page, roles=ANY_ROLE, response=Item, errors=[409])
    def item(item_id: str, query: Page):
        return {"id": item_id, "ownerEmail": "a@b.c"}

    @routes.get("/spec")
    def spec():
        return routes.openapi("Test")

    return app, routes


def test_document_lists_every_route_with_its_models_and_statuses():
    app, routes = make_routes()
    doc = routes.openapi("Test")
    assert doc["openapi"] == "3.1.0"
    assert set(doc["paths"]) == {"/greet", "/items/{item_id}", "/spec"}

    greet = doc["paths"]["/greet"]["post"]
    assert greet["summary"] == "Say hello."
    assert greet["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Greeting"}
    assert set(greet["responses"]) == {"201", "400", "413", "429"}  # every route: body and rate limits
    assert "security" not in greet

    item = doc["paths"]["/items/{item_id}"]["get"]
    assert item["operationId"] == "getItemsByItemId"
    assert item["security"] == [{"bearerAuth": []}]
    assert item["x-roles"] == ["student", "tutor"]
    assert set(item["responses"]) == {"200", "400", "401", "403", "404", "409", "413", "429"}
    params = {(p["name"], p["in"], p["required"]) for p in item["parameters"]}
    assert params == {("item_id", "path", True), ("limit", "query", False), ("after", "query", False)}
    answer = item["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "ownerEmail" in doc["components"]["schemas"][answer]["properties"]
    error = item["responses"]["404"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert doc["components"]["schemas"][error]["required"] == ["error", "message", "requestId"]


def test_document_is_served_and_follows_new_routes():
    app, routes = make_routes()
    with Client(app) as client:
        first = client.http.get("/spec").json_body
        assert "/later" not in first["paths"]

        @routes.get("/later", roles=ANY_ROLE)
        def later():
            return {}

        assert "/later" in client.http.get("/spec").json_body["paths"]
