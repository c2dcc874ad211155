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

variable "alarm_actions" {
  description = "ARNs (for example an SNS topic with an email subscription) notified when a dead-letter queue is not empty."
  type        = list(string)
  default     = []
}
