"""``docs/api/*.json`` (what the web app's types are generated from) is what the services' code builds, and every
route that answers JSON documents its answer's shape, so a route change reaches the SPA's type check."""

from __future__ import annotations

import json

import pytest
import write_openapi

# The document describes itself; everything else a service serves is product JSON.
SELF_DESCRIBING = {"/openapi.json"}


@pytest.fixture(scope="module")
def built() -> dict[str, str]:
    return {service: write_openapi.build(service) for service in write_openapi.SERVICES}


@pytest.mark.parametrize("service", write_openapi.SERVICES)
def test_the_committed_document_is_what_the_code_builds(built, service):
    committed = write_openapi.OUT / f"{service}.json"
    assert committed.is_file(), f"docs/api/{service}.json is missing: run `make openapi`"
    assert json.loads(committed.read_text()) == json.loads(built[service]), (
        f"docs/api/{service}.json is stale: run `make openapi` and commit it"
    )


@pytest.mark.parametrize("service", write_openapi.SERVICES)
def test_every_json_route_documents_its_answer(built, service):
    document = json.loads(built[service])
    undocumented = []
    for path, operations in document["paths"].items():
        if path in SELF_DESCRIBING:
            continue
        for method, operation in operations.items():
            success = next(body for status, body in operation["responses"].items() if status.startswith("2"))
            schema = success.get("content", {}).get("application/json", {}).get("schema")
            if not schema:
                undocumented.append(f"{method.upper()} {path}")
    assert not undocumented, f"{service}: routes without a response model: {undocumented}"
