variable "name_prefix" {
  description = "Prefix of every physical name, `{project}-{stage}`; a queue is `{name_prefix}-{logical}`, its dead-letter queue `{name_prefix}-{logical}-dlq`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and hyphens, 2-41 characters, starting with a letter."
  }
}

variable "queues" {
  description = "SQS queues by logical name (the catalogue module's `queues` output). Each gets a dead-letter queue after `max_receive_count` receives; a queue with `subscribes_to` event types is subscribed to the events topic with a filter on the `type` message attribute."
  type = map(object({
    consumer              = string
    visibility_timeout    = number
    max_receive_count     = number
    retention_seconds     = optional(number, 86400)
    receive_wait_seconds  = optional(number, 20)
    dlq_retention_seconds = optional(number, 1209600)
    subscribes_to         = optional(list(string), [])
  }))

  validation {
    condition     = alltrue([for q in values(var.queues) : q.visibility_timeout >= 0 && q.visibility_timeout <= 43200])
    error_message = "visibility_timeout must be between 0 and 43200 seconds."
  }

  validation {
    condition     = alltrue([for q in values(var.queues) : q.max_receive_count >= 1 && q.max_receive_count <= 1000])
    error_message = "max_receive_count must be between 1 and 1000."
  }

  validation {
    condition = alltrue([for q in values(var.queues) : (
      q.retention_seconds >= 60 && q.retention_seconds <= 1209600 &&
      q.dlq_retention_seconds >= 60 && q.dlq_retention_seconds <= 1209600
    )])
    error_message = "Retention periods must be between 60 seconds and 14 days."
  }

  validation {
    condition     = alltrue([for q in values(var.queues) : q.receive_wait_seconds >= 0 && q.receive_wait_seconds <= 20])
    error_message = "receive_wait_seconds (long polling) must be between 0 and 20."
  }
}

variable "events_topic" {
  description = "Logical name of the SNS topic integration events are published to; the topic is `{name_prefix}-{events_topic}`."
  type        = string
  default     = "events"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*$", var.events_topic))
    error_message = "events_topic must be a kebab-case logical name."
  }
}

variable "sns_kms_master_key_id" {
  description = "KMS key for the events topic's server-side encryption; the default is the AWS managed key for SNS."
  type        = string
  default     = "alias/aws/sns"
}

variable "alarm_actions" {
  description = "ARNs notified when a dead-letter queue receives a message (for example an SNS topic that emails the team). Empty: the alarm only shows in CloudWatch."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every queue, the topic and the alarms."
  type        = map(string)
  default     = {}
}
