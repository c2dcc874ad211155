variable "enabled" {
  description = "Replicate the source bucket to the replica provider's region (off by default: it doubles storage and adds transfer costs)."
  type        = bool
  default     = false
}

variable "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`; the replica is `{name_prefix}-{source_logical}-replica{name_suffix}`."
  type        = string
}

variable "name_suffix" {
  description = "Appended to the replica's name to make it globally unique, like the source's."
  type        = string
  default     = ""
}

variable "source_logical" {
  description = "Logical name of the bucket to replicate (the catalogue's)."
  type        = string
}

variable "source_bucket_name" {
  description = "The bucket to replicate; it must be versioned."
  type        = string
}

variable "source_bucket_arn" {
  description = "ARN of the same bucket."
  type        = string
}

variable "expiring_prefixes" {
  description = "Key prefixes of the source whose objects expire, with their days (the catalogue's prefixes): the replica expires them alike."
  type        = map(number)
  default     = {}
}

variable "noncurrent_version_days" {
  description = "Days a replaced or deleted version is kept in the replica."
  type        = number
  default     = 30
}

variable "storage_class" {
  description = "Storage class of the replicas (STANDARD_IA: read only after a regional failure)."
  type        = string
  default     = "STANDARD_IA"

  validation {
    condition     = contains(["STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR"], var.storage_class)
    error_message = "storage_class must be one S3 replication accepts for objects read after a failover."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete the replica with its objects (development stages only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the replica and the replication role."
  type        = map(string)
  default     = {}
}
