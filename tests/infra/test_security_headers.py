"""CloudFront sends the SPA the same security headers as the dev web server (scripts/speaktracker_dev/web.py)."""

from __future__ import annotations

from speaktracker_dev.ports import StackPorts, StackUrls
from speaktracker_dev.web import security_headers

from .support import MODULES, blocks, resources

CDN = MODULES / "cdn"


def _policy() -> dict:
    return resources(CDN)[("aws_cloudfront_response_headers_policy", "this")]


def _directives(policy: str) -> dict[str, set[str]]:
    return {d.split()[0]: set(d.split()[1:]) for d in policy.split(";") if d.strip()}


def _defaults() -> dict[str, str]:
    variables = blocks(CDN, "variable")
    return {name: variables[name]["default"] for name in ("content_security_policy", "permissions_policy")}


def test_cloudfront_sends_every_header_the_dev_server_sends():
    config = _policy()["security_headers_config"][0]
    assert config["content_type_options"][0]["override"] is True
    assert config["frame_options"][0]["frame_option"] == "DENY"
    assert config["referrer_policy"][0]["referrer_policy"] == "strict-origin-when-cross-origin"
    assert config["content_security_policy"][0]["content_security_policy"] == "${var.content_security_policy}"
    custom = {i["header"]: i["value"] for i in _policy()["custom_headers_config"][0]["items"]}
    assert custom == {"Permissions-Policy": "${var.permissions_policy}"}
    dev = security_headers(StackUrls(StackPorts()))
    assert _defaults()["permissions_policy"] == dev["Permissions-Policy"]
    assert dev["Referrer-Policy"] == config["referrer_policy"][0]["referrer_policy"]


def test_the_content_security_policies_differ_only_in_where_the_apis_are():
    cloud = _directives(_defaults()["content_security_policy"])
    dev = _directives(security_headers(StackUrls(StackPorts()))["Content-Security-Policy"])
    assert set(cloud) == set(dev)
    for name in (
        "default-src",
        "script-src",
        "style-src",
        "object-src",
        "base-uri",
        "form-action",
        "frame-ancestors",
        "font-src",
    ):
        assert cloud[name] == dev[name], name
    assert {"'self'", "blob:", "data:"} <= cloud["media-src"]
    assert cloud["connect-src"] == {"'self'", "https://*.amazonaws.com", "wss://*.amazonaws.com"}
