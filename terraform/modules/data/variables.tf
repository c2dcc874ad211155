variable "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`; a table is named `{name_prefix}-{logical}`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "tables" {
  description = "DynamoDB tables by logical name (the catalogue module's `tables` output): owner context, hash and optional range key, global secondary indexes, optional TTL attribute and whether a stream is needed."
  type = map(object({
    owner     = string
    hash_key  = object({ name = string, type = string })
    range_key = optional(object({ name = string, type = string }))
    indexes = optional(map(object({
      hash_key   = object({ name = string, type = string })
      range_key  = optional(object({ name = string, type = string }))
      projection = optional(string, "ALL")
    })), {})
    ttl_attribute = optional(string)
    stream        = optional(bool, false)
  }))

  validation {
    condition = alltrue(flatten([
      for t in values(var.tables) : concat(
        [contains(["S", "N", "B"], t.hash_key.type)],
        t.range_key == null ? [] : [contains(["S", "N", "B"], t.range_key.type)],
        [for i in values(t.indexes) : contains(["S", "N", "B"], i.hash_key.type) && (i.range_key == null ? true : contains(["S", "N", "B"], i.range_key.type))],
      )
    ]))
    error_message = "Every key type must be S, N or B."
  }

  validation {
    condition     = alltrue(flatten([for t in values(var.tables) : [for i in values(t.indexes) : contains(["ALL", "KEYS_ONLY"], i.projection)]]))
    error_message = "An index projection must be ALL or KEYS_ONLY."
  }
}

variable "point_in_time_recovery" {
  description = "Keep 35 days of continuous backups for every table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse DeleteTable on every table (turn on for production)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for server-side encryption; null uses the AWS managed key `aws/dynamodb`."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "tags" {
  description = "Tags added to every table."
  type        = map(string)
  default     = {}
}
