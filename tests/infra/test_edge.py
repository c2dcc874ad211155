"""One origin: CloudFront routes every API path of every service to that service's API Gateway stage and the
rest to the SPA bucket, behind WAF (CLOUDFRONT scope on the distribution, REGIONAL on each stage), and
config.json for AWS comes from the platform."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import service_origins
from speaktracker import catalogue

from .conftest import SERVICES, STAGES
from .support import ENVIRONMENTS, MODULES, blocks, load_hcl, locals_of, resources

PLATFORM = MODULES / "platform"
MANAGED_GROUPS = {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"}
INFRA = "data.terraform_remote_state.infra.outputs.platform"
SAMPLE_URL = "https://a1b2c3d4e5.execute-api.ap-northeast-2.amazonaws.com/api"


def _api_routes() -> list[dict[str, str]]:
    return locals_of(PLATFORM)["api_routes"]


def _cloudfront_target(path: str) -> str | None:
    """The service CloudFront sends `path` to: the first pattern that matches (`*` spans `/`, `?` one
    character, case-sensitive), or None for the SPA bucket."""
    for route in _api_routes():
        if fnmatch.fnmatchcase(path, route["path_pattern"]):
            return route["service"]
    return None


def _service_paths(package) -> list[str]:
    swagger = json.loads(package.chalice["locals"]["chalice_api_swagger"])
    return [re.sub(r"\{[^}]+\}", "x1", path) for path in swagger["paths"]]


# --- WAF ---------------------------------------------------------------------------------------------


def test_the_web_acl_has_the_managed_groups_without_overriding_them_and_a_rate_rule():
    waf = resources(MODULES / "waf")[("aws_wafv2_web_acl", "this")]
    assert set(locals_of(MODULES / "waf")["managed_rule_groups"]) == MANAGED_GROUPS
    [dynamic] = [d["rule"] for d in waf["dynamic"] if "rule" in d]
    assert dynamic["for_each"] == "${local.managed_rule_groups}"
    [content] = dynamic["content"]
    assert content["override_action"] == [{"none": [{}]}], "a managed group overridden to count blocks nothing"
    statement = content["statement"][0]["managed_rule_group_statement"][0]
    assert statement["vendor_name"] == "AWS" and statement["name"] == "${rule.key}"
    # Only the common set's body-size rule is relaxed (recordings travel in the body).
    [override] = [d["rule_action_override"] for d in statement["dynamic"]]
    assert override["for_each"].startswith('${rule.key == "AWSManagedRulesCommonRuleSet"')
    assert blocks(MODULES / "waf", "variable")["common_rules_counted"]["default"] == ["SizeRestrictions_BODY"]
    [rate] = waf["rule"]
    assert rate["action"] == [{"block": [{}]}]
    assert rate["statement"][0]["rate_based_statement"][0]["aggregate_key_type"] == "IP"
    assert waf["default_action"] == [{"allow": [{}]}]
    logging = resources(MODULES / "waf")[("aws_wafv2_web_acl_logging_configuration", "this")]
    assert logging["redacted_fields"] == [{"single_header": [{"name": "authorization"}]}]


def test_the_distribution_and_the_api_stages_each_have_a_web_acl_of_the_right_scope():
    modules = blocks(PLATFORM, "module")
    assert modules["waf_cloudfront"]["scope"] == "CLOUDFRONT"
    assert modules["waf_cloudfront"]["providers"] == {"aws": "${aws.us_east_1}"}, "CloudFront ACLs live in us-east-1"
    assert modules["waf_api"]["scope"] == "REGIONAL" and "providers" not in modules["waf_api"]
    assert modules["cdn"]["web_acl_arn"] == "${module.waf_cloudfront.wafv2_web_acl_arn}"
    distribution = resources(MODULES / "cdn")[("aws_cloudfront_distribution", "this")]
    assert distribution["web_acl_id"] == "${var.web_acl_arn}"
    assert blocks(PLATFORM, "output")["wafv2_api_web_acl_arn"]["value"] == "${module.waf_api.wafv2_web_acl_arn}"


@pytest.mark.parametrize("env", sorted(p for p in ENVIRONMENTS.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_each_stage_gives_the_platform_a_us_east_1_provider(env: Path):
    providers = [p["aws"] for p in load_hcl(env / "versions.tf")["provider"]]
    assert {"alias": "us_east_1", "region": "us-east-1"}.items() <= next(
        p for p in providers if p.get("alias") == "us_east_1"
    ).items()
    text = (env / "platform.tf").read_text(encoding="utf-8")
    assert re.search(r"providers\s*=\s*\{\s*aws\s*=\s*aws,[^}]*\baws\.us_east_1\s*=\s*aws\.us_east_1\b", text)


@pytest.mark.parametrize("pair", [(s, st) for s in SERVICES for st in STAGES], ids=lambda p: f"{p[0]}-{p[1]}")
def test_every_rest_stage_is_associated_with_the_regional_web_acl(pair, packages):
    package = packages[pair]
    association = package.additions["resource"]["aws_wafv2_web_acl_association"]["rest_api"]
    assert association["resource_arn"] == "${aws_api_gateway_stage.rest_api.arn}"
    assert association["web_acl_arn"] == f"${{{INFRA}.wafv2_api_web_acl_arn}}"
    assert "rest_api" in package.chalice["resource"]["aws_api_gateway_stage"]


# --- routing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_every_api_route_of_a_service_reaches_that_service(service, packages):
    paths = [p for p in _service_paths(packages[(service, "dev")]) if p.startswith("/api/")]
    wrong = {p: _cloudfront_target(p) for p in paths if _cloudfront_target(p) != service}
    assert not wrong, f"CloudFront would send these {service} routes elsewhere (None = the SPA bucket): {wrong}"


def test_the_routes_name_only_services_fit_cloudfronts_quota_and_start_with_api():
    routes = _api_routes()
    assert {r["service"] for r in routes} <= set(SERVICES)
    assert len(routes) <= 25, "CloudFront allows 25 cache behaviours per distribution by default"
    assert all(r["path_pattern"].startswith("/api/") for r in routes)
    patterns = [r["path_pattern"] for r in routes]
    assert len(patterns) == len(set(patterns))


def test_the_spa_and_what_is_not_an_api_stay_on_the_bucket():
    for path in ("/", "/index.html", "/config.json", "/assets/index-abc.js", "/practice", "/tutors/abc"):
        assert _cloudfront_target(path) is None, path


def test_api_behaviours_forward_to_the_stage_without_caching_and_with_every_method():
    distribution = resources(MODULES / "cdn")[("aws_cloudfront_distribution", "this")]
    [behaviour] = [d["ordered_cache_behavior"] for d in distribution["dynamic"] if "ordered_cache_behavior" in d]
    [content] = behaviour["content"]
    assert set(content["allowed_methods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}
    assert content["cache_policy_id"] == "${aws_cloudfront_cache_policy.api.id}"
    assert content["viewer_protocol_policy"] == "https-only"
    policy = resources(MODULES / "cdn")[("aws_cloudfront_cache_policy", "api")]
    assert policy["default_ttl"] == 0
    headers = policy["parameters_in_cache_key_and_forwarded_to_origin"][0]["headers_config"][0]
    assert headers["headers"][0]["items"] == ["Authorization"]
    # Custom error responses would turn an API's 403/404 into index.html; the SPA uses a function instead.
    assert "custom_error_response" not in distribution
    [spa] = distribution["default_cache_behavior"][0]["function_association"]
    assert spa == {"event_type": "viewer-request", "function_arn": "${aws_cloudfront_function.spa_routes.arn}"}


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize(
    ("uri", "served"),
    [
        ("/", "/index.html"),
        ("/practice", "/index.html"),
        ("/tutors/abc", "/index.html"),
        ("/assets/index-abc.js", "/assets/index-abc.js"),
        ("/config.json", "/config.json"),
    ],
)
def test_the_spa_function_serves_index_html_for_client_routes_only(uri, served):
    source = (MODULES / "cdn" / "spa_routes.js").read_text(encoding="utf-8")
    script = source + f"\nconsole.log(handler({{request: {{uri: {json.dumps(uri)}}}}}).uri);\n"
    result = subprocess.run(["node", "-e", script], text=True, capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == served


def _hcl_regexes(text: str) -> list[str]:
    return [json.loads(f'"{m}"') for m in re.findall(r'regex\("((?:[^"\\]|\\.)*)"', text)]


def test_a_stage_url_becomes_an_origin_that_the_cdn_accepts():
    expression = locals_of(PLATFORM)["api_origins"]
    domain_re, path_re = _hcl_regexes(expression)
    domain = re.search(domain_re, SAMPLE_URL).group(1)
    path = re.search(path_re, SAMPLE_URL).group(1)
    assert (domain, path) == ("a1b2c3d4e5.execute-api.ap-northeast-2.amazonaws.com", "/api")
    [cdn_check] = blocks(MODULES / "cdn", "variable")["api_origins"]["validation"]
    domain_ok, path_ok = _hcl_regexes(cdn_check["condition"])
    assert re.search(domain_ok, domain) and re.search(path_ok, path)
    [url_check] = blocks(PLATFORM, "variable")["service_api_urls"]["validation"]
    [url_ok] = _hcl_regexes(url_check["condition"])
    assert re.search(url_ok, SAMPLE_URL) and not re.search(url_ok, "https://example.com/api")


def test_config_json_lists_every_service_behind_the_one_origin():
    obj = resources(PLATFORM)[("aws_s3_object", "web_config")]
    assert obj["key"] == "config.json" and obj["bucket"] == '${module.storage.s3_bucket_names["frontend"]}'
    assert obj["content"] == "${jsonencode(local.web_config)}"
    assert obj["content_type"] == "application/json" and obj["cache_control"] == "no-cache"
    config = locals_of(PLATFORM)["web_config"]
    assert set(config) == {"region", "services", "websocket"}, "the dev stack's /config.json has these keys"
    assert "cloudfront_distribution_domain_name" in config["services"]
    assert {r["service"] for r in _api_routes()} == set(SERVICES), "a service without a route is unreachable"


# --- collecting the origins from the services' states -------------------------------------------------


def test_service_origins_reads_each_deployed_services_state(tmp_path: Path):
    (tmp_path / "identity.tfstate").write_text(
        json.dumps({"outputs": {"EndpointURL": {"value": SAMPLE_URL + "/"}}}), encoding="utf-8"
    )
    (tmp_path / "notifications.tfstate").write_text(
        json.dumps(
            {
                "outputs": {
                    "EndpointURL": {"value": "https://n1.execute-api.ap-northeast-2.amazonaws.com/api"},
                    "WebsocketConnectEndpointURL": {"value": "wss://w1.execute-api.ap-northeast-2.amazonaws.com/api/"},
                }
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "origins.tfvars.json"
    assert service_origins.main(["--state-dir", str(tmp_path), "--out", str(out)]) == 0
    assert json.loads(out.read_text()) == {
        "service_api_urls": {
            "identity": SAMPLE_URL,
            "notifications": "https://n1.execute-api.ap-northeast-2.amazonaws.com/api",
        },
        "websocket_url": "wss://w1.execute-api.ap-northeast-2.amazonaws.com/api",
    }


def test_service_origins_with_nothing_deployed_gives_no_origins(tmp_path: Path):
    out = tmp_path / "origins.tfvars.json"
    assert service_origins.main(["--state-dir", str(tmp_path / "none"), "--out", str(out)]) == 0
    assert json.loads(out.read_text()) == {"service_api_urls": {}, "websocket_url": None}
    assert {s.context for s in catalogue.SERVICES} == set(SERVICES)
