variable "region" {
  description = "AWS region of the stack (Seoul by default: the learners are in Korea)."
  type        = string
  default     = "ap-northeast-2"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as ap-northeast-2."
  }
}

variable "project" {
  description = "Project prefix of every physical name (`{project}-{stage}-{logical}`, SPEAKTRACKER_RESOURCE_PREFIX)."
  type        = string
  default     = "speaktracker"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,20}$", var.project))
    error_message = "project must be 2-21 lower-case letters or digits."
  }
}

variable "bucket_name_suffix" {
  description = "Appended to bucket names when `{project}-{stage}-{logical}` is already taken in S3's global namespace (for example `-123456789012`)."
  type        = string
  default     = ""
}

variable "extra_spa_origins" {
  description = "Browser origins besides the CloudFront one that may upload to the user-content bucket with presigned URLs (a local SPA dev server)."
  type        = list(string)
  default     = []
}

variable "alarm_emails" {
  description = "Addresses subscribed to the stage's alarm topic (each confirms the subscription by email)."
  type        = list(string)
  default     = []
}

variable "alarm_actions" {
  description = "ARNs notified by the dead-letter queue alarms besides the stage's alarm topic (for example a chat integration's topic)."
  type        = list(string)
  default     = []
}

variable "lambda_log_retention_days" {
  description = "Days the services' Lambda log groups keep their logs."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.lambda_log_retention_days)
    error_message = "lambda_log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "stage" {
  description = "Stage of this stack (SPEAKTRACKER_STAGE): the `{stage}` of every physical name `{project}-{stage}-{logical}`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.stage))
    error_message = "stage must be 2-10 lower-case letters or digits."
  }
}

variable "protect" {
  description = "Production safety: deletion protection on tables and the user pool, buckets keep their objects on destroy, secrets a 30-day recovery window."
  type        = bool
}

variable "service_api_urls" {
  description = "Invoke URL of each deployed service's REST API stage (`EndpointURL` of its packaged Terraform), by service; CloudFront routes the service's paths there. `make deploy-infra` collects them from the services' states."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for url in values(var.service_api_urls) : can(regex("^https://[a-z0-9]+\\.execute-api\\.[a-z0-9-]+\\.amazonaws\\.com/[A-Za-z0-9_-]+/?$", url))])
    error_message = "A service API URL is https://{id}.execute-api.{region}.amazonaws.com/{stage}."
  }
}

variable "websocket_url" {
  description = "The notifications service's WebSocket URL (wss://...), published in config.json; null until it is deployed."
  type        = string
  default     = null
}

variable "rate_limit_per_5_minutes" {
  description = "Requests one IP may make in 5 minutes, at the distribution and at each API stage, before WAF blocks it."
  type        = number
  default     = 2000
}

variable "enable_guardduty" {
  description = "Manage the region's GuardDuty detector. An account has one per region: if stages share an account, enable it in one."
  type        = bool
  default     = true
}

variable "replicate_user_content" {
  description = "Replicate the user-content bucket to the `aws.replica` provider's region (off by default)."
  type        = bool
  default     = false
}

variable "social_login" {
  description = "Social sign-in through Cognito's hosted UI (docs/deploying.md): each provider's client id and the Secrets Manager id of its client secret; a provider with an empty client id is not declared. domain_prefix names the hosted UI's domain (`{prefix}.auth.{region}.amazoncognito.com`; `{project}-{stage}` when empty)."
  type = object({
    google = optional(object({
      client_id        = optional(string, "")
      client_secret_id = optional(string, "")
    }), {})
    kakao = optional(object({
      client_id        = optional(string, "")
      client_secret_id = optional(string, "")
    }), {})
    domain_prefix = optional(string, "")
  })
  default = {}
}

variable "analytics_transform_package" {
  description = "Path of the analytics transformation Lambda's zip (scripts/package_analytics_transform.py)."
  type        = string
}
