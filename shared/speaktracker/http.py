"""Thin routes for Chalice apps: parse and validate, authenticate, call the use case, shape the response.

    routes = Routes(blueprint)

    @routes.post("/api/auth/login", body=LoginRequest)
    def login(body: LoginRequest) -> dict: ...

    @routes.get("/api/users/me", roles=ANY_ROLE)
    def me(principal: Principal) -> dict: ...

A view receives, by parameter name, any of: path parameters, ``body`` (the pydantic model given), ``query``
(the pydantic model given), ``principal`` and ``request``. Every failure becomes
``{"error", "message", "requestId"}`` with the status of its domain error; an unexpected one becomes a 500
that is logged with the request id and never shows internals.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from chalice.app import CORSConfig, Response
from pydantic import BaseModel, ConfigDict, ValidationError

from . import logging as slog
from . import observability
from .auth import ROLES, Role, TokenVerifier, bearer_token, require_guardian_consent, require_role
from .errors import DomainError, Invalid, PayloadTooLarge
from .openapi import RouteSpec
from .ratelimit import Limit, RateLimited, RateLimiter

if TYPE_CHECKING:
    from chalice.app import Chalice

ANY_ROLE: tuple[Role, ...] = ROLES
CORS = CORSConfig(
    allow_origin="*",
    allow_headers=["Authorization", "Content-Type", "X-Request-Id"],
    expose_headers=["X-Request-Id"],
    max_age=600,
)
_log = slog.get_logger("speaktracker.http")
_View = TypeVar("_View", bound=Callable[..., Any])


class ViewDecorator(Protocol):
    """What ``Routes.get``/``post``/... return: registers a view and gives it back unchanged."""

    def __call__(self, view: _View, /) -> _View: ...


@dataclass(frozen=True)
class RequestLimits:
    """How much one caller may send: requests per window (a signed-in user by email; an anonymous caller by
    source IP and by the email its body names) and body sizes (recordings get the larger one)."""

    limiter: Callable[[], RateLimiter | None] = lambda: None
    per_user: Limit = Limit(100)
    per_ip: Limit = Limit(600)
    per_email: Limit = Limit(20)
    json_body_bytes: int = 64 * 1024
    audio_body_bytes: int = 14 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings: Any, limiter: Callable[[], RateLimiter | None]) -> RequestLimits:
        window = settings.rate_limit_window_seconds
        return cls(
            limiter,
            Limit(settings.rate_limit_per_user, window),
            Limit(settings.rate_limit_per_ip, window),
            Limit(settings.rate_limit_per_email, window),
            settings.max_json_body_bytes,
            settings.max_audio_body_bytes,
        )


def source_ip_of(request: Any) -> str:
    context = getattr(request, "context", None) or {}
    return (context.get("identity") or {}).get("sourceIp") or "unknown"


def request_id_of(request: Any) -> str:
    context = getattr(request, "context", None) or {}
    return context.get("requestId") or str(uuid.uuid4())


def json_response(
    body: Any, status: int = 200, request_id: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    if isinstance(body, BaseModel):
        body = body.model_dump(mode="json", by_alias=True)
    all_headers: dict[str, str | list[str]] = {"Content-Type": "application/json"}
    if request_id:
        all_headers["X-Request-Id"] = request_id
    all_headers.update(headers or {})
    return Response(body=json.dumps(body, ensure_ascii=False, default=str), status_code=status, headers=all_headers)


def error_response(error: DomainError, request_id: str) -> Response:
    return json_response(error.body(request_id), error.status, request_id)


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"field": ".".join(str(p) for p in e["loc"]) or "body", "problem": e["msg"]}
        for e in exc.errors(include_url=False, include_input=False)
    ]


def parse_model(model: type[BaseModel], raw: bytes | str | None, what: str = "body") -> BaseModel:
    """Validate JSON text against ``model``; a bad or missing field is a 400 naming the field."""
    if raw is None or (isinstance(raw, (bytes, str)) and not raw.strip()):
        raw = b"{}"
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        details = validation_details(exc)
        if any(d["problem"].startswith("Invalid JSON") for d in details):
            raise Invalid(f"The request {what} is not valid JSON.", "INVALID_JSON") from exc
        first = details[0]
        raise Invalid(f"{first['field']}: {first['problem']}", "VALIDATION_FAILED", details) from exc


def parse_query(model: type[BaseModel], params: dict[str, str] | None) -> BaseModel:
    try:
        return model.model_validate(params or {})
    except ValidationError as exc:
        details = validation_details(exc)
        first = details[0]
        raise Invalid(f"{first['field']}: {first['problem']}", "VALIDATION_FAILED", details) from exc


class Routes:
    """Registers views on a Chalice app or Blueprint with validation, auth and one error mapping."""

    def __init__(
        self,
        target: Any,
        verifier: Callable[[], TokenVerifier],
        gateway_authorizer: Any = None,
        limits: RequestLimits | None = None,
        service: str = "speaktracker",
    ) -> None:
        self._target = target
        self._service = service
        self._verifier = verifier
        self._gateway_authorizer = gateway_authorizer
        self._limits = limits or RequestLimits()
        self.specs: list[RouteSpec] = []
        self._document: tuple[int, dict[str, Any]] | None = None

    @property
    def gateway_authorizer(self) -> Any:
        """The API Gateway authorizer (None where the stage has none). Every app.py binds it as the top-level
        name ``jwt_authorizer``: Lambda resolves the handler ``app.jwt_authorizer`` in app.py's namespace."""
        return self._gateway_authorizer

    def openapi(self, title: str) -> dict[str, Any]:
        """The OpenAPI document of every route registered so far (built once per set of routes)."""
        from .openapi import document

        if self._document is None or self._document[0] != len(self.specs):
            self._document = (len(self.specs), document(title, self.specs))
        return self._document[1]

    def get(self, path: str, **options: Any) -> ViewDecorator:
        return self.route(path, "GET", **options)

    def post(self, path: str, **options: Any) -> ViewDecorator:
        return self.route(path, "POST", **options)

    def put(self, path: str, **options: Any) -> ViewDecorator:
        return self.route(path, "PUT", **options)

    def patch(self, path: str, **options: Any) -> ViewDecorator:
        return self.route(path, "PATCH", **options)

    def delete(self, path: str, **options: Any) -> ViewDecorator:
        return self.route(path, "DELETE", **options)

    def route(
        self,
        path: str,
        method: str,
        *,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        roles: Iterable[Role] | None = None,
        status: int = 200,
        content_types: list[str] | None = None,
        response: type[BaseModel] | None = None,
        errors: Iterable[int] = (),
        audio: bool = False,
        rate_limited: bool = True,
        consent: bool = False,
    ) -> ViewDecorator:
        """Register ``view`` at ``method path``. ``response`` is the model of the success body and ``errors``
        the statuses beyond the usual ones (400; 401/403 with roles; 404 with path parameters) it can answer;
        both only document the route (``GET /openapi.json``). ``audio`` routes (and multipart ones) carry
        recordings and take the larger body limit; ``rate_limited=False`` only for liveness and discovery;
        ``consent`` routes refuse a child whose guardian has not consented yet (403 GUARDIAN_CONSENT_REQUIRED)."""
        allowed = tuple(roles) if roles is not None else None
        audio = audio or any(c.startswith("multipart/") for c in content_types or ())
        gate = _Gate(self._limits, audio, rate_limited, consent)

        def decorate(view: _View) -> _View:
            wants = set(inspect.signature(view).parameters)
            summary = (inspect.getdoc(view) or view.__name__.replace("_", " ")).splitlines()[0]
            self.specs.append(
                RouteSpec(
                    method,
                    path,
                    summary,
                    body,
                    query,
                    response,
                    allowed,
                    status,
                    tuple(content_types or ("application/json",)),
                    tuple(errors) + (413,) + ((403,) if consent else ()) + ((429,) if rate_limited else ()),
                )
            )

            @functools.wraps(view)
            def handler(**path_params: Any) -> Response:
                request = self._target.current_request
                request_id = request_id_of(request)
                with (
                    slog.log_context(requestId=request_id, route=f"{method} {path}"),
                    observability.traced(self._service, f"{method} {path}", requestId=request_id),
                ):
                    try:
                        kwargs = self._arguments(request, path_params, wants, body, query, allowed, gate)
                        result = view(**kwargs)
                        if isinstance(result, Response):
                            result.headers.setdefault("X-Request-Id", request_id)
                            return result
                        return json_response(result, status, request_id)
                    except DomainError as error:
                        if error.status >= 500:
                            _log.warning("dependency failed: %s", error.message)
                        answer = error_response(error, request_id)
                        if isinstance(error, RateLimited):
                            answer.headers["Retry-After"] = str(error.retry_after)
                        return answer
                    except Exception:
                        _log.exception("unhandled error")
                        return json_response(
                            {
                                "error": "INTERNAL_ERROR",
                                "message": "Something went wrong on our side.",
                                "requestId": request_id,
                            },
                            500,
                            request_id,
                        )
                    finally:
                        observability.flush()

            options: dict[str, Any] = {"methods": [method], "cors": CORS}
            if content_types:
                options["content_types"] = content_types
            if allowed is not None and self._gateway_authorizer is not None:
                options["authorizer"] = self._gateway_authorizer
            self._target.route(path, **options)(handler)
            return view

        return decorate

    def _arguments(
        self,
        request: Any,
        path_params: dict[str, Any],
        wants: set[str],
        body: type[BaseModel] | None,
        query: type[BaseModel] | None,
        allowed: tuple[Role, ...] | None,
        gate: _Gate,
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {k: v for k, v in path_params.items() if k in wants}
        gate.check_size(request)
        if allowed is not None:
            principal = self._verifier().verify(bearer_token(request.headers))
            gate.count(f"user:{principal.email}", self._limits.per_user)
            require_role(principal, allowed)
            if gate.consent:
                require_guardian_consent(principal)
            if "principal" in wants:
                kwargs["principal"] = principal
        else:
            gate.count(f"ip:{source_ip_of(request)}", self._limits.per_ip)
        if body is not None:
            kwargs["body"] = parse_model(body, request.raw_body)
            email = getattr(kwargs["body"], "email", None) if allowed is None else None
            if isinstance(email, str) and email:
                gate.count(f"email:{email.strip().lower()}", self._limits.per_email)
        if query is not None:
            kwargs["query"] = parse_query(query, request.query_params)
        if "request" in wants:
            kwargs["request"] = request
        return kwargs


class _Gate:
    """A route's body limit and request counting, checked before anything is parsed."""

    def __init__(self, limits: RequestLimits, audio: bool, rate_limited: bool, consent: bool = False) -> None:
        self._limits, self._rate_limited, self.consent = limits, rate_limited, consent
        self.max_body = limits.audio_body_bytes if audio else limits.json_body_bytes

    def check_size(self, request: Any) -> None:
        declared = (request.headers or {}).get("content-length") or "0"
        size = max(int(declared) if declared.isdigit() else 0, len(request.raw_body or b""))
        if size > self.max_body:
            raise PayloadTooLarge(
                f"The request body is {size} bytes; this route accepts at most {self.max_body}.",
                "BODY_TOO_LARGE",
                {"maxBytes": self.max_body},
            )

    def count(self, subject: str, limit: Limit) -> None:
        if not self._rate_limited:
            return
        limiter = self._limits.limiter()
        if limiter is None:
            return
        limiter.check_unless_down(subject, limit)


logging.getLogger("chalice").setLevel(logging.WARNING)


def register_gateway_authorizer(app: Chalice, verifier: Callable[[], TokenVerifier]) -> Any:
    """The same token check as a Chalice built-in authorizer, so API Gateway rejects bad tokens before the
    function runs. The views still verify: the authorizer is defence in depth, not the only gate."""
    from chalice.app import AuthResponse

    @app.authorizer(name="jwt", ttl_seconds=300)
    def jwt_authorizer(auth_request: Any) -> Any:
        token = auth_request.token or ""
        token = token.split(" ", 1)[1] if token.lower().startswith("bearer ") else token
        try:
            principal = verifier().verify(token)
        except DomainError:
            return AuthResponse(routes=[], principal_id="anonymous")
        return AuthResponse(
            routes=["*"], principal_id=principal.email, context={"email": principal.email, "role": principal.role}
        )

    return jwt_authorizer


def per_settings(factory: Callable[[Any], Any]) -> Callable[[], Any]:
    """``factory(get_settings())``, built on first use and again only when the settings are reset."""
    from .settings import get_settings

    built: dict[int, tuple[Any, Any]] = {}

    def current() -> Any:
        settings = get_settings()
        if 0 not in built or built[0][0] is not settings:
            built[0] = (settings, factory(settings))
        return built[0][1]

    return current


class Health(BaseModel):
    model_config = ConfigDict(defer_build=True)
    service: str
    status: str
    stage: str


def create_service_app(context: str) -> tuple[Any, Routes]:
    """A Chalice app for one bounded context with JSON logging, metrics, tracing, token verification and
    ``GET /health``."""
    from chalice.app import Chalice

    from .auth import verifier_from_settings
    from .ratelimit import limiter_from_settings
    from .settings import get_settings

    settings = get_settings()
    slog.configure(settings.log_level, context)
    observability.configure(context, settings.stage)
    app = Chalice(app_name=f"speaktracker-{context}")
    verifier = per_settings(verifier_from_settings)
    authorizer = register_gateway_authorizer(app, verifier) if settings.gateway_authorizer else None
    limiter = per_settings(limiter_from_settings)
    routes = Routes(app, verifier, authorizer, RequestLimits.from_settings(settings, limiter), context)

    @routes.get("/health", response=Health, rate_limited=False)
    def health() -> dict[str, str]:
        """Liveness of the service."""
        return {"service": context, "status": "ok", "stage": get_settings().stage}

    @routes.get("/openapi.json", rate_limited=False)
    def openapi_json() -> dict[str, Any]:
        """This service's OpenAPI 3.1 document."""
        return routes.openapi(f"SpeakTracker {context}")

    return app, routes
