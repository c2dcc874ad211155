variable "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`; names the topic, key alias, alarms and dashboard."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "project" {
  description = "Project prefix: the dashboard finds the services' functions and APIs by it."
  type        = string
}

variable "stage" {
  description = "Stage: the dashboard finds the stage's functions by it."
  type        = string
}

variable "region" {
  description = "Region of the dashboard's metrics."
  type        = string
}

variable "table_names" {
  description = "Physical DynamoDB table name by logical name: each gets a throttling alarm and a dashboard line."
  type        = map(string)
}

variable "dlq_names" {
  description = "Physical dead-letter queue name by the logical name of its queue (dashboard)."
  type        = map(string)
}

variable "dlq_alarm_arns" {
  description = "The messaging module's dead-letter queue alarms (shown on the dashboard)."
  type        = map(string)
  default     = {}
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic (each confirms by email)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alarm_emails must be email addresses."
  }
}

variable "tags" {
  description = "Tags added to the key, topic and alarms."
  type        = map(string)
  default     = {}
}
