"""Native-voice audio through CloudFront (docs/decisions.md, "Caching"): the distribution serves the
user-content bucket's tts/ prefix under /tts/*, cached a year at the edge and in the browser, with nothing
from the viewer in the cache key; the bucket lets the distribution read tts/ and nothing else of it."""

from __future__ import annotations

from .support import MODULES, blocks, resources

PLATFORM = MODULES / "platform"
YEAR = 365 * 24 * 3600


def _distribution():
    return resources(MODULES / "cdn")[("aws_cloudfront_distribution", "this")]


def test_tts_paths_go_to_the_user_content_bucket_signed_by_origin_access_control():
    distribution = _distribution()
    [audio] = distribution["ordered_cache_behavior"]
    assert audio["path_pattern"] == "/tts/*"
    assert set(audio["allowed_methods"]) == {"GET", "HEAD"}
    assert audio["viewer_protocol_policy"] == "redirect-to-https"
    [origin] = [o for o in distribution["origin"] if o["origin_id"] == audio["target_origin_id"]]
    assert origin["domain_name"] == "${var.audio_bucket_regional_domain_name}"
    assert origin["origin_access_control_id"] == "${aws_cloudfront_origin_access_control.this.id}"
    cdn = blocks(PLATFORM, "module")["cdn"]
    assert (
        cdn["audio_bucket_regional_domain_name"] == '${module.storage.s3_bucket_regional_domain_names["user-content"]}'
    )


def test_audio_is_cached_a_year_and_the_cache_key_holds_only_the_path():
    audio = _distribution()["ordered_cache_behavior"][0]
    assert audio["cache_policy_id"] == "${aws_cloudfront_cache_policy.audio.id}"
    policy = resources(MODULES / "cdn")[("aws_cloudfront_cache_policy", "audio")]
    assert policy["min_ttl"] == policy["default_ttl"] == policy["max_ttl"] == YEAR
    [key] = policy["parameters_in_cache_key_and_forwarded_to_origin"]
    assert key["headers_config"][0]["header_behavior"] == "none"
    assert key["cookies_config"][0]["cookie_behavior"] == "none"
    assert key["query_strings_config"][0]["query_string_behavior"] == "none"


def test_the_browser_is_told_the_audio_is_immutable():
    audio = _distribution()["ordered_cache_behavior"][0]
    assert audio["response_headers_policy_id"] == "${aws_cloudfront_response_headers_policy.audio.id}"
    headers = resources(MODULES / "cdn")[("aws_cloudfront_response_headers_policy", "audio")]
    [item] = headers["custom_headers_config"][0]["items"]
    assert item == {"header": "Cache-Control", "value": f"public, max-age={YEAR}, immutable", "override": True}
    assert headers["security_headers_config"][0]["content_type_options"] == [{"override": True}]


def test_the_distribution_reads_only_tts_of_the_user_content_bucket():
    storage = blocks(PLATFORM, "module")["storage"]
    assert storage["cloudfront_distribution_arns"]["user-content"] == "${module.cdn.cloudfront_distribution_arn}"
    assert storage["cloudfront_read_prefixes"] == {"user-content": ["tts/"]}
    documents = blocks(MODULES / "storage", "data")["aws_iam_policy_document"]["this"]
    [reads] = [d["statement"] for d in documents["dynamic"] if "statement" in d]
    [content] = reads["content"]
    assert content["actions"] == ["s3:GetObject"]
    resource = content["resources"]
    assert "var.cloudfront_read_prefixes" in resource and "/${prefix}*" in resource
