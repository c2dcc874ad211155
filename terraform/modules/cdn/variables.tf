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
  default     = "default-src 'self'; img-src 'self' data: blob: https:; media-src 'self' blob: https:; connect-src 'self' https: wss:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
}

variable "tags" {
  description = "Tags added to the distribution."
  type        = map(string)
  default     = {}
}
