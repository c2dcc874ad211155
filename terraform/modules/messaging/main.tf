locals {
  subscribed = { for logical, q in var.queues : logical => q if length(q.subscribes_to) > 0 }
}

resource "aws_sqs_queue" "dlq" {
  for_each = var.queues

  name                      = "${var.name_prefix}-${each.key}-dlq"
  message_retention_seconds = each.value.dlq_retention_seconds
  sqs_managed_sse_enabled   = true

  tags = merge(var.tags, { Context = each.value.consumer })
}

resource "aws_sqs_queue" "this" {
  for_each = var.queues

  name                       = "${var.name_prefix}-${each.key}"
  visibility_timeout_seconds = each.value.visibility_timeout
  message_retention_seconds  = each.value.retention_seconds
  receive_wait_time_seconds  = each.value.receive_wait_seconds
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = each.value.max_receive_count
  })

  tags = merge(var.tags, { Context = each.value.consumer })
}

# Only the queue a DLQ belongs to may redrive into it.
resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  for_each = var.queues

  queue_url = aws_sqs_queue.dlq[each.key].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this[each.key].arn]
  })
}

resource "aws_sns_topic" "this" {
  name              = "${var.name_prefix}-${var.events_topic}"
  kms_master_key_id = var.sns_kms_master_key_id

  tags = var.tags
}

# Raw delivery: the consumer reads the event JSON as the SQS body, not wrapped in an SNS envelope.
resource "aws_sns_topic_subscription" "this" {
  for_each = local.subscribed

  topic_arn            = aws_sns_topic.this.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.this[each.key].arn
  raw_message_delivery = true
  filter_policy_scope  = "MessageAttributes"
  filter_policy        = jsonencode({ type = each.value.subscribes_to })
}

data "aws_iam_policy_document" "topic_delivery" {
  for_each = local.subscribed

  statement {
    sid       = "EventsTopicDelivers"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this[each.key].arn]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.this.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  for_each = local.subscribed

  queue_url = aws_sqs_queue.this[each.key].id
  policy    = data.aws_iam_policy_document.topic_delivery[each.key].json
}

resource "aws_cloudwatch_metric_alarm" "dlq" {
  for_each = var.queues

  alarm_name          = "${var.name_prefix}-${each.key}-dlq-not-empty"
  alarm_description   = "Messages of ${each.key} failed ${each.value.max_receive_count} times and wait in its dead-letter queue."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq[each.key].name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions

  tags = var.tags
}
