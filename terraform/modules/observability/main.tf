data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  # The services' functions are `{project}-{service}-{stage}[-{handler}]` (chalice's naming) and their APIs
  # `{project}-{service}-{stage}` (packaging): the dashboard finds them by these tokens, whatever they add.
  function_search = "{AWS/Lambda,FunctionName} ${var.project} ${var.stage}"
  api_search      = "{AWS/ApiGateway,ApiName,Stage} ${var.project} ${var.stage}"
  # The services' own metrics (shared/speaktracker/observability.py: Powertools EMF, dimensions service, stage).
  custom_namespace = "SpeakTracker"
  # p95 of what a learner waits for, in ms, beyond which someone should look.
  slow_steps = {
    ai_response = { service = "conversation", metric = "AIResponseTime", threshold = 8000, what = "The AI partner's reply" }
    assessment  = { service = "practice", metric = "AssessmentTime", threshold = 5000, what = "Scoring a recording" }
  }
}

resource "aws_cloudwatch_metric_alarm" "slow_steps" {
  for_each = local.slow_steps

  alarm_name          = "${var.name_prefix}-${replace(each.key, "_", "-")}-p95"
  alarm_description   = "${each.value.what} took over ${each.value.threshold / 1000} s (p95) for 15 minutes."
  namespace           = local.custom_namespace
  metric_name         = each.value.metric
  dimensions          = { service = each.value.service, stage = var.stage }
  extended_statistic  = "p95"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]

  tags = var.tags
}

# CloudWatch (alarms) and EventBridge (GuardDuty findings) publish to an encrypted topic only with a
# customer managed key that lets them.
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "AlarmsAndFindingsPublish"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

module "key" {
  source = "../kms"

  alias            = "${var.name_prefix}-alarms"
  description      = "${var.name_prefix} alarm topic"
  policy_documents = [data.aws_iam_policy_document.key.json]
  tags             = var.tags
}

resource "aws_sns_topic" "this" {
  name              = "${var.name_prefix}-alarms"
  kms_master_key_id = module.key.kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "AlarmsAndFindingsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

# Each address confirms the subscription from the email AWS sends it.
resource "aws_sns_topic_subscription" "this" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.value
}

# DynamoDB throttling: any throttled read or write on a table (on-demand tables throttle past their
# partition limits or account quotas).
resource "aws_cloudwatch_metric_alarm" "dynamodb_throttles" {
  for_each = var.table_names

  alarm_name          = "${var.name_prefix}-${each.key}-throttled"
  alarm_description   = "Requests to the ${each.key} table were throttled."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]

  metric_query {
    id          = "throttles"
    expression  = "reads + writes"
    label       = "Throttled requests"
    return_data = true
  }

  metric_query {
    id = "reads"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "ReadThrottleEvents"
      dimensions  = { TableName = each.value }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "writes"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "WriteThrottleEvents"
      dimensions  = { TableName = each.value }
      stat        = "Sum"
      period      = 300
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name_prefix
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title = "Lambda errors and invocations", region = var.region, view = "timeSeries", stat = "Sum", period = 300
          metrics = [[{ expression = "SEARCH('${local.function_search} MetricName=\"Errors\"', 'Sum', 300)", id = "errors" }],
          [{ expression = "SEARCH('${local.function_search} MetricName=\"Invocations\"', 'Sum', 300)", id = "invocations" }]]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title   = "Lambda duration p95 (ms)", region = var.region, view = "timeSeries", period = 300
          metrics = [[{ expression = "SEARCH('${local.function_search} MetricName=\"Duration\"', 'p95', 300)", id = "duration" }]]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title   = "API latency p95 (ms)", region = var.region, view = "timeSeries", period = 300
          metrics = [[{ expression = "SEARCH('${local.api_search} MetricName=\"Latency\"', 'p95', 300)", id = "latency" }]]
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title = "API 4xx and 5xx", region = var.region, view = "timeSeries", period = 300
          metrics = [[{ expression = "SEARCH('${local.api_search} MetricName=\"5XXError\"', 'Sum', 300)", id = "server" }],
          [{ expression = "SEARCH('${local.api_search} MetricName=\"4XXError\"', 'Sum', 300)", id = "client" }]]
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title   = "DynamoDB throttled requests", region = var.region, view = "timeSeries", stat = "Sum", period = 300
          metrics = [for logical, name in var.table_names : ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", name, { label = logical }]]
        }
      },
      {
        type = "metric", x = 12, y = 12, width = 12, height = 6
        properties = {
          title   = "Dead-letter queues (messages waiting)", region = var.region, view = "timeSeries", stat = "Maximum", period = 300
          metrics = [for logical, name in var.dlq_names : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", name, { label = logical }]]
        }
      },
      {
        type = "metric", x = 0, y = 18, width = 8, height = 6
        properties = {
          title = "Engagement: sentences practised, conversation turns", region = var.region, view = "timeSeries", stat = "Sum", period = 3600
          metrics = [[local.custom_namespace, "SentencesPractised", "service", "practice", "stage", var.stage],
          [local.custom_namespace, "ConversationTurns", "service", "conversation", "stage", var.stage]]
        }
      },
      {
        type = "metric", x = 8, y = 18, width = 8, height = 6
        properties = {
          title = "Practice session duration (s)", region = var.region, view = "timeSeries", period = 3600
          metrics = [[local.custom_namespace, "PracticeSessionDuration", "service", "practice", "stage", var.stage, { stat = "Average" }],
          [local.custom_namespace, "PracticeSessionDuration", "service", "practice", "stage", var.stage, { stat = "p90" }]]
        }
      },
      {
        type = "metric", x = 16, y = 18, width = 8, height = 6
        properties = {
          title   = "AI response and assessment time p95 (ms)", region = var.region, view = "timeSeries", stat = "p95", period = 300
          metrics = [for step in values(local.slow_steps) : [local.custom_namespace, step.metric, "service", step.service, "stage", var.stage]]
        }
      },
      {
        type = "alarm", x = 0, y = 24, width = 24, height = 4
        properties = {
          title = "Alarms"
          alarms = concat(values(var.dlq_alarm_arns), [for a in aws_cloudwatch_metric_alarm.dynamodb_throttles : a.arn],
          [for a in aws_cloudwatch_metric_alarm.slow_steps : a.arn])
        }
      },
    ]
  })
}
