variable "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`; names the origin access control and the headers policy."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "bucket_regional_domain_name" {
  description = "Regional domain name of the private bucket holding the SPA build (the storage module's output for `frontend`)."
  type        = string

  validation {
    condition     = can(regex("\\.s3\\.[a-z0-9-]+\\.amazonaws\\.com$", var.bucket_regional_domain_name))
    error_message = "bucket_regional_domain_name must be an S3 regional domain name ({bucket}.s3.{region}.amazonaws.com)."
  }
}

variable "audio_bucket_regional_domain_name" {
  description = "Regional domain name of the user-content bucket; its tts/ prefix (native-voice audio) is served under /tts/*."
  type        = string

  validation {
    condition     = can(regex("\\.s3\\.[a-z0-9-]+\\.amazonaws\\.com$", var.audio_bucket_regional_domain_name))
    error_message = "audio_bucket_regional_domain_name must be an S3 regional domain name ({bucket}.s3.{region}.amazonaws.com)."
  }
}

variable "price_class" {
  description = "Edge locations served: PriceClass_200 includes Korea and Japan at lower cost than PriceClass_All."
  type        = string
  default     = "PriceClass_200"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "aliases" {
  description = "Custom domain names of the SPA; needs `acm_certificate_arn`. Empty: the distribution's own *.cloudfront.net name."
  type        = list(string)
  default     = []
}

variable "acm_certificate_arn" {
  description = "ACM certificate in us-east-1 for `aliases`; null uses the default CloudFront certificate."
  type        = string
  default     = null

  validation {
    condition     = var.acm_certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:us-east-1:", var.acm_certificate_arn))
    error_message = "CloudFront certificates live in us-east-1."
  }
}

variable "content_security_policy" {
  description = "Content-Security-Policy header of every response; connect-src must allow the API and WebSocket origins."
  type        = string
  default     = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https://*.amazonaws.com; media-src 'self' data: blob: https://*.amazonaws.com; connect-src 'self' https://*.amazonaws.com wss://*.amazonaws.com; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
}

variable "permissions_policy" {
  description = "Permissions-Policy header of every response: the microphone for the SPA's own origin, nothing else."
  type        = string
  default     = "microphone=(self), camera=(), geolocation=(), payment=()"
}

variable "web_acl_arn" {
  description = "ARN of the CLOUDFRONT-scope WAF web ACL in front of the distribution (the waf module in us-east-1)."
  type        = string
}

variable "api_origins" {
  description = "Per service, its API Gateway stage as an origin: the execute-api domain name and the stage as the origin path (`/api`). Services not yet deployed are absent; their routes then fall to the SPA bucket."
  type = map(object({
    domain_name = string
    origin_path = string
  }))
  default = {}

  validation {
    condition     = alltrue([for o in values(var.api_origins) : can(regex("^[a-z0-9]+\\.execute-api\\.[a-z0-9-]+\\.amazonaws\\.com$", o.domain_name)) && can(regex("^/[A-Za-z0-9_-]+$", o.origin_path))])
    error_message = "An API origin is {id}.execute-api.{region}.amazonaws.com with origin_path /{stage}."
  }
}

variable "api_routes" {
  description = "Path patterns of the APIs in the order CloudFront tries them (first match wins), each with the service that answers it."
  type = list(object({
    path_pattern = string
    service      = string
  }))
  default = []

  validation {
    condition     = alltrue([for r in var.api_routes : startswith(r.path_pattern, "/api/")])
    error_message = "API path patterns start with /api/."
  }
}

variable "tags" {
  description = "Tags added to the distribution."
  type        = map(string)
  default     = {}
}
