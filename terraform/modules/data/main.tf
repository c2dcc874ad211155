locals {
  # Every attribute a key of the table or of one of its indexes uses, with its type. DynamoDB accepts
  # only these in attribute definitions.
  attributes = {
    for logical, t in var.tables : logical => merge(
      { (t.hash_key.name) = t.hash_key.type },
      t.range_key == null ? {} : { (t.range_key.name) = t.range_key.type },
      [for i in values(t.indexes) : merge(
        { (i.hash_key.name) = i.hash_key.type },
        i.range_key == null ? {} : { (i.range_key.name) = i.range_key.type },
      )]...
    )
  }
}

resource "aws_dynamodb_table" "this" {
  for_each = var.tables

  name                        = "${var.name_prefix}-${each.key}"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = each.value.hash_key.name
  range_key                   = try(each.value.range_key.name, null)
  deletion_protection_enabled = var.deletion_protection
  stream_enabled              = each.value.stream
  stream_view_type            = each.value.stream ? "NEW_AND_OLD_IMAGES" : null

  dynamic "attribute" {
    for_each = local.attributes[each.key]
    content {
      name = attribute.key
      type = attribute.value
    }
  }

  dynamic "global_secondary_index" {
    for_each = each.value.indexes
    content {
      name            = global_secondary_index.key
      hash_key        = global_secondary_index.value.hash_key.name
      range_key       = try(global_secondary_index.value.range_key.name, null)
      projection_type = global_secondary_index.value.projection
    }
  }

  dynamic "ttl" {
    for_each = each.value.ttl_attribute == null ? [] : [each.value.ttl_attribute]
    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = merge(var.tags, { Context = each.value.owner })
}
