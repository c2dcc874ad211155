"""An OpenAPI 3.1 document built from the routes a service registers, so clients (the SPA's generated types, the
fuzzer, the authorization matrix) read the same contract the code enforces.

Each ``Routes.route`` call records a ``RouteSpec``: method, path, the pydantic models of its body, query and
answer, the roles it admits and its success status. Nothing here runs at import time; the document is built on
the first ``GET /openapi.json`` and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

_PATH_PARAM = re.compile(r"{([^}]+)}")
_REASONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content"}
_ERROR_STATUSES = {
    400: "The request is invalid (code and message say which field and why).",
    401: "No valid access token.",
    403: "The token is valid but this role or user may not do this.",
    404: "No such resource, or it is not yours.",
    409: "The resource is in a state that does not allow this.",
    413: "The request or its upload is too large.",
    415: "The content type is not accepted.",
    422: "The request is well formed but cannot be processed.",
    429: "Too many requests; retry after the time given.",
    503: "A dependency is unavailable; try again shortly.",
}


class ValidationProblem(BaseModel):
    model_config = ConfigDict(defer_build=True)
    field: str
    problem: str


class ErrorBody(BaseModel):
    """Every error answer: a stable code for programs, a message for people, and the request id."""

    model_config = ConfigDict(defer_build=True, populate_by_name=True)
    error: str = Field(description="A stable upper-case code, e.g. VALIDATION_FAILED or NOT_FOUND.")
    message: str = Field(description="What went wrong, for a person.")
    request_id: str = Field(alias="requestId")
    details: list[ValidationProblem] | dict[str, Any] | None = None


class Answer(BaseModel):
    """Base of the models routes declare as ``response=``: camelCase JSON, and every field required in the
    serialization schema (an answer always carries its defaults), so generated clients need no null checks
    for fields that are always there."""

    # defer_build: the serializer and schema are built on first use, not at import (a service's cold start).
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        json_schema_serialization_defaults_required=True,
        defer_build=True,
    )


class SparseAnswer(Answer):
    """An answer that leaves out the fields it has no value for: a field with a default may be absent."""

    model_config = ConfigDict(defer_build=True, json_schema_serialization_defaults_required=False)


class PresignedPost(Answer):
    """A presigned S3 POST (``storage.PresignedBucket.presign_upload``): send ``fields`` and then the file."""

    method: Literal["POST"]
    url: str
    fields: dict[str, str]
    expires_in: int


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    summary: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    roles: tuple[str, ...] | None = None
    status: int = 200
    content_types: tuple[str, ...] = ("application/json",)
    errors: tuple[int, ...] = field(default=())

    @property
    def operation_id(self) -> str:
        words = [w for w in re.split(r"[^A-Za-z0-9]+", _PATH_PARAM.sub(r"by \1", self.path)) if w]
        return self.method.lower() + "".join(w[:1].upper() + w[1:] for w in words if w != "api")


def document(title: str, specs: list[RouteSpec], version: str = "1.0.0") -> dict[str, Any]:
    """The OpenAPI 3.1 document of one service."""
    from pydantic.json_schema import models_json_schema

    models: set[type[BaseModel]] = {ErrorBody}
    for spec in specs:
        models.update(m for m in (spec.body, spec.query, spec.response) if m is not None)
    ordered = sorted(models, key=lambda m: (m.__module__, m.__qualname__))
    modes: tuple[Literal["validation"], Literal["serialization"]] = ("validation", "serialization")
    keyed = [(m, mode) for mode in modes for m in ordered]
    refs, defs = models_json_schema(keyed, by_alias=True, ref_template="#/components/schemas/{model}")
    paths: dict[str, dict[str, Any]] = {}
    for spec in specs:
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(spec, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


def _operation(spec: RouteSpec, refs: dict[Any, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": spec.operation_id, "summary": spec.summary}
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAM.findall(spec.path)
    ]
    if spec.query is not None:
        parameters += _query_parameters(spec.query)
    if parameters:
        operation["parameters"] = parameters
    if spec.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(spec.body, "validation")]}},
        }
    elif spec.content_types != ("application/json",):
        operation["requestBody"] = {
            "required": True,
            "content": {ct: {"schema": {"type": "string", "format": "binary"}} for ct in spec.content_types},
        }
    success: dict[str, Any] = {"description": _REASONS.get(spec.status, "Success")}
    if spec.response is not None:
        success["content"] = {"application/json": {"schema": refs[(spec.response, "serialization")]}}
    error = {"description": "", "content": {"application/json": {"schema": refs[(ErrorBody, "serialization")]}}}
    statuses = set(spec.errors) | {400}
    if spec.roles is not None:
        statuses |= {401, 403}
        operation["security"] = [{"bearerAuth": []}]
    if _PATH_PARAM.search(spec.path):
        statuses.add(404)
    responses: dict[str, Any] = {str(spec.status): success}
    for status in sorted(statuses):
        responses[str(status)] = {**error, "description": _ERROR_STATUSES.get(status, "Error")}
    operation["responses"] = responses
    if spec.roles is not None:
        operation["x-roles"] = list(spec.roles)
    return operation


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(by_alias=True)
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]
