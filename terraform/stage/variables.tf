variable "region" {
  description = "AWS region of the stack (Seoul by default: the learners are in Korea)."
  type        = string
  default     = "ap-northeast-2"
}

variable "project" {
  description = "Project prefix of every physical name (`{project}-{stage}-{logical}`, SPEAKTRACKER_RESOURCE_PREFIX)."
  type        = string
  default     = "speaktracker"
}

variable "bucket_name_suffix" {
  description = "Appended to bucket names when `{project}-{stage}-{logical}` is already taken in S3's global namespace (for example `-123456789012`)."
  type        = string
  default     = ""
}

variable "alarm_emails" {
  description = "Addresses that receive the stage's alarms (each confirms by email)."
  type        = list(string)
  default     = []
}

variable "service_api_urls" {
  description = "Invoke URL of each deployed service's API stage; `make deploy-infra` passes them from the services' states (scripts/service_origins.py)."
  type        = map(string)
  default     = {}
}

variable "websocket_url" {
  description = "The notifications service's WebSocket URL for config.json; passed like service_api_urls."
  type        = string
  default     = null
}

variable "enable_guardduty" {
  description = "Manage the region's GuardDuty detector; null keeps the stage's choice in its main.tf (prod on; dev and staging off: an account has one detector per region, and prod manages it)."
  type        = bool
  default     = null
}

variable "replicate_user_content" {
  description = "Replicate the user-content bucket to replica_region."
  type        = bool
  default     = false
}

variable "replica_region" {
  description = "Region of the user content's replica when replicate_user_content is on (Tokyo: the nearest to Seoul)."
  type        = string
  default     = "ap-northeast-1"
}

variable "social_login" {
  description = "Google and Kakao sign-in (docs/deploying.md): `{ google = { client_id, client_secret_id }, kakao = { client_id, client_secret_id }, domain_prefix }`; the client secrets stay in Secrets Manager. Empty: no social sign-in."
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
