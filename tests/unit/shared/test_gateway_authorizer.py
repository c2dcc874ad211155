from chalice import Chalice
from speaktracker.auth import JwksCache, TokenVerifier
from speaktracker.http import ANY_ROLE, Routes, register_gateway_authorizer
from support.tokens import CLIENT_ID, ISSUER, SigningKey

KEY = SigningKey()
ARN = "arn:aws:execute-api:ap-northeast-2:123456789012:abc123/api/GET/api/users/me"


def make_app():
    app = Chalice("gateway-test")
    verifier = TokenVerifier(ISSUER, CLIENT_ID, JwksCache(KEY.jwks))
    authorizer = register_gateway_authorizer(app, lambda: verifier)
    routes = Routes(app, lambda: verifier, authorizer)

    @routes.get("/api/users/me", roles=ANY_ROLE)
    def me(principal):
        return {"email": principal.email}

    @routes.post("/api/auth/login")
    def login():
        return {}

    return app, authorizer


def authorize(authorizer, header):
    event = {"type": "TOKEN", "authorizationToken": header, "methodArn": ARN}
    return authorizer(event, None)


def test_protected_routes_carry_the_authorizer_and_public_ones_do_not():
    app, authorizer = make_app()
    assert app.routes["/api/users/me"]["GET"].authorizer is authorizer
    assert app.routes["/api/auth/login"]["POST"].authorizer is None


def test_a_valid_token_is_allowed_with_the_caller_in_the_context():
    _, authorizer = make_app()
    result = authorize(authorizer, f"Bearer {KEY.token('kim@example.com', 'tutor')}")
    assert result["principalId"] == "kim@example.com"
    assert result["context"] == {"email": "kim@example.com", "role": "tutor"}
    assert result["policyDocument"]["Statement"][0]["Effect"] == "Allow"


def test_bad_tokens_are_denied():
    _, authorizer = make_app()
    for header in (
        "",
        "Bearer garbage",
        f"Bearer {KEY.token(client_id='other-app')}",
        f"Bearer {SigningKey(kid=KEY.kid).token()}",
    ):
        result = authorize(authorizer, header)
        statements = result["policyDocument"]["Statement"]
        assert result["principalId"] == "anonymous"
        assert all(s["Effect"] != "Allow" or not s.get("Resource") for s in statements)
