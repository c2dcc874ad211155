locals {
  origin_id       = "frontend-bucket"
  audio_origin_id = "user-content-audio"
  # AWS managed cache policy "Managed-CachingOptimized".
  caching_optimized_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  # AWS managed origin request policy "Managed-AllViewerExceptHostHeader": API Gateway answers only to its
  # own Host, so every viewer header but that one is forwarded.
  all_viewer_except_host_policy_id = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
}

# The APIs are not cached: answers are per user. Authorization is in the key (so it reaches the origin, which
# an origin request policy cannot forward); with a default TTL of 0 nothing is stored unless an API says so.
resource "aws_cloudfront_cache_policy" "api" {
  name        = "${var.name_prefix}-api"
  comment     = "APIs: per-user answers, not cached; Authorization and query strings reach the origin."
  min_ttl     = 0
  default_ttl = 0
  max_ttl     = 1

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = true
    enable_accept_encoding_gzip   = true

    headers_config {
      header_behavior = "whitelist"
      headers {
        items = ["Authorization"]
      }
    }
    cookies_config {
      cookie_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "all"
    }
  }
}

# Native-voice audio (tts/<hash of voice and text>.<ext>): the key names the content, so an object never changes
# under its URL and edges and browsers keep it a year. Nothing from the viewer is in the key or reaches S3.
resource "aws_cloudfront_cache_policy" "audio" {
  name        = "${var.name_prefix}-audio"
  comment     = "Content-addressed speech: cached a year whatever the object says; no headers, cookies or query strings."
  min_ttl     = 31536000
  default_ttl = 31536000
  max_ttl     = 31536000

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = false
    enable_accept_encoding_gzip   = false

    headers_config {
      header_behavior = "none"
    }
    cookies_config {
      cookie_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

# The browser is told the audio is immutable (S3 objects carry no Cache-Control of their own). The audio is
# on the SPA's own host, whose responses already carry HSTS.
resource "aws_cloudfront_response_headers_policy" "audio" {
  #checkov:skip=CKV_AWS_259:HSTS is per host: the audio is on the SPA's host, whose every response (loaded before any audio URL exists) carries it.
  name    = "${var.name_prefix}-audio-headers"
  comment = "Native-voice audio: immutable for a year, nosniff."

  security_headers_config {
    content_type_options {
      override = true
    }
  }

  custom_headers_config {
    items {
      header   = "Cache-Control"
      value    = "public, max-age=31536000, immutable"
      override = true
    }
  }
}

# Client-side routes of the SPA (a path without a file extension) are served index.html. A function on the
# SPA's behaviour only, unlike custom error responses, which would also turn an API's 403/404 into the page.
resource "aws_cloudfront_function" "spa_routes" {
  name    = "${var.name_prefix}-spa-routes"
  runtime = "cloudfront-js-2.0"
  comment = "Serve index.html for client-side routes of the SPA."
  publish = true
  code    = file("${path.module}/spa_routes.js")
}

resource "aws_cloudfront_origin_access_control" "this" {
  name                              = "${var.name_prefix}-frontend"
  description                       = "CloudFront signs its requests to the private frontend bucket."
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_response_headers_policy" "this" {
  name    = "${var.name_prefix}-security-headers"
  comment = "Security headers for the SPA."

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }
    content_type_options {
      override = true
    }
    frame_options {
      frame_option = "DENY"
      override     = true
    }
    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
    xss_protection {
      protection = true
      mode_block = true
      override   = true
    }
    content_security_policy {
      content_security_policy = var.content_security_policy
      override                = true
    }
  }

  # Recording needs the microphone, for the SPA's own origin only.
  custom_headers_config {
    items {
      header   = "Permissions-Policy"
      value    = var.permissions_policy
      override = true
    }
  }
}

resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV2_AWS_47:checkov does not expand the web ACL's dynamic managed-rule block; AWSManagedRulesKnownBadInputsRuleSet (Log4j) is in it, checked by tests/infra/test_edge.py.
  #checkov:skip=CKV_AWS_86:Access logs need a log bucket with ACLs enabled; CloudFront's standard metrics are enough for static files.
  #checkov:skip=CKV_AWS_310:The SPA build and the native-voice audio have no second copy to fail over to (the audio is remade from its text on a miss).
  #checkov:skip=CKV_AWS_374:The product is for learners wherever they are; no geo restriction.
  #checkov:skip=CKV_AWS_174:With the default *.cloudfront.net certificate CloudFront fixes the minimum protocol; TLSv1.2_2021 applies as soon as acm_certificate_arn is set.
  #checkov:skip=CKV2_AWS_42:Same as CKV_AWS_174: a custom certificate needs a domain; set aliases and acm_certificate_arn for one.
  enabled             = true
  is_ipv6_enabled     = true
  comment             = "${var.name_prefix} SPA"
  default_root_object = "index.html"
  price_class         = var.price_class
  aliases             = var.aliases
  http_version        = "http2and3"
  web_acl_id          = var.web_acl_arn

  origin {
    origin_id                = local.origin_id
    domain_name              = var.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this.id
  }

  # The user-content bucket, signed by the same origin access control; its policy lets this distribution
  # read tts/ only (recordings, profile images and exports stay behind presigned links).
  origin {
    origin_id                = local.audio_origin_id
    domain_name              = var.audio_bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this.id
  }

  ordered_cache_behavior {
    path_pattern               = "/tts/*"
    target_origin_id           = local.audio_origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = false
    cache_policy_id            = aws_cloudfront_cache_policy.audio.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.audio.id
  }

  # Each service's API Gateway stage; origin_path is the stage, so /api/auth/login reaches the route
  # /api/auth/login of the stage `api`.
  dynamic "origin" {
    for_each = var.api_origins
    content {
      origin_id   = "api-${origin.key}"
      domain_name = origin.value.domain_name
      origin_path = origin.value.origin_path

      custom_origin_config {
        http_port              = 80
        https_port             = 443
        origin_protocol_policy = "https-only"
        origin_ssl_protocols   = ["TLSv1.2"]
      }
    }
  }

  # In order: CloudFront takes the first pattern that matches.
  dynamic "ordered_cache_behavior" {
    for_each = [for route in var.api_routes : route if contains(keys(var.api_origins), route.service)]
    content {
      path_pattern               = ordered_cache_behavior.value.path_pattern
      target_origin_id           = "api-${ordered_cache_behavior.value.service}"
      viewer_protocol_policy     = "https-only"
      allowed_methods            = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
      cached_methods             = ["GET", "HEAD"]
      compress                   = true
      cache_policy_id            = aws_cloudfront_cache_policy.api.id
      origin_request_policy_id   = local.all_viewer_except_host_policy_id
      response_headers_policy_id = aws_cloudfront_response_headers_policy.this.id
    }
  }

  default_cache_behavior {
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.caching_optimized_policy_id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.this.id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.spa_routes.arn
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = var.acm_certificate_arn == null
    acm_certificate_arn            = var.acm_certificate_arn
    ssl_support_method             = var.acm_certificate_arn == null ? null : "sni-only"
    minimum_protocol_version       = var.acm_certificate_arn == null ? "TLSv1" : "TLSv1.2_2021"
  }

  tags = var.tags
}
