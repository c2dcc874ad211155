"""Creates the resource catalogue in an emulator (moto or LocalStack), idempotently.

Driven only by ``speaktracker.catalogue``: every table (keys, GSIs, TTL), every queue with its dead-letter
queue and redrive policy, the events topic with one raw-delivery subscription per subscribing queue filtered
on the ``type`` message attribute, the buckets (versioning, lifecycle, CORS), the Cognito user pool with its
web client and role groups, and the verified SES sender. Running it twice changes nothing; running it after
the catalogue changed brings queue attributes, subscription filters and lifecycle rules up to date.

    outputs = bootstrap(Settings())   # {"user_pool_id": ..., "user_pool_client_id": ..., ...}
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError
from speaktracker import catalogue
from speaktracker.aws import AwsClients
from speaktracker.catalogue import Bucket, Queue, Table, UserPool
from speaktracker.settings import Settings

# The browser reads and writes user content through presigned URLs, from the SPA's origin.
BROWSER_CORS = {
    "CORSRules": [
        {
            "AllowedOrigins": ["*"],
            "AllowedMethods": ["GET", "PUT", "HEAD"],
            "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3000,
        }
    ]
}


def bootstrap(
    settings: Settings, clients: AwsClients | None = None, report: Callable[[str], None] = lambda line: None
) -> dict[str, Any]:
    """Creates what is missing and returns the outputs the services need (ids, ARNs, URLs)."""
    clients = clients or AwsClients(settings)
    for table in catalogue.TABLES:
        ensure_table(clients.client("dynamodb"), settings.name(table.logical), table)
    report(f"{len(catalogue.TABLES)} tables")
    queues = {
        q.logical: ensure_queue(clients.client("sqs"), settings, q)
        for q in (*catalogue.QUEUES, catalogue.ANALYTICS_DEV_QUEUE)
    }
    report(f"{len(queues)} queues with dead-letter queues")
    topic_arn = ensure_events_topic(clients.client("sns"), clients.client("sqs"), settings, queues)
    report("events topic and its filtered subscriptions")
    for bucket in catalogue.BUCKETS:
        ensure_bucket(clients.client("s3"), settings.name(bucket.logical), bucket, settings.region)
    report(f"{len(catalogue.BUCKETS)} buckets")
    pool_id, client_id = ensure_user_pool(clients.client("cognito-idp"), settings, catalogue.USER_POOL)
    report("user pool, web client and groups")
    ensure_mail_sender(clients.client("ses"), settings.mail_sender)
    report(f"verified mail sender {settings.mail_sender}")
    return {
        "user_pool_id": pool_id,
        "user_pool_client_id": client_id,
        "events_topic_arn": topic_arn,
        "queue_urls": {logical: q["url"] for logical, q in queues.items()},
        "dead_letter_queue_urls": {logical: q["dlq_url"] for logical, q in queues.items()},
    }


# --- DynamoDB -----------------------------------------------------------------------------------
def ensure_table(db: Any, name: str, table: Table) -> None:
    try:
        db.create_table(**table_definition(name, table))
        db.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    except ClientError as error:
        if _code(error) != "ResourceInUseException":
            raise
    if table.ttl_attribute:
        ttl = db.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
            db.update_time_to_live(
                TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute}
            )


def table_definition(name: str, table: Table) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": n, "AttributeType": t} for n, t in table.attribute_definitions().items()
        ],
        "KeySchema": _key_schema(table.hash_key, table.range_key),
    }
    if table.indexes:
        definition["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.hash_key, index.range_key),
                "Projection": {"ProjectionType": index.projection},
            }
            for index in table.indexes
        ]
    if table.stream:
        definition["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    return definition


def _key_schema(hash_key: catalogue.Key, range_key: catalogue.Key | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": hash_key.name, "KeyType": "HASH"}]
    if range_key:
        schema.append({"AttributeName": range_key.name, "KeyType": "RANGE"})
    return schema


# --- SQS and SNS --------------------------------------------------------------------------------
def ensure_queue(sqs: Any, settings: Settings, queue: Queue) -> dict[str, str]:
    dlq_url = sqs.create_queue(QueueName=settings.name(queue.dlq_logical))["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={"MessageRetentionPeriod": str(queue.dlq_retention_seconds)})
    dlq_arn = queue_arn(sqs, dlq_url)
    url = sqs.create_queue(QueueName=settings.name(queue.logical))["QueueUrl"]
    sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={
            "VisibilityTimeout": str(queue.visibility_timeout),
            "MessageRetentionPeriod": str(queue.retention_seconds),
            "ReceiveMessageWaitTimeSeconds": str(queue.receive_wait_seconds),
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": queue.max_receive_count}),
        },
    )
    return {"url": url, "arn": queue_arn(sqs, url), "dlq_url": dlq_url, "dlq_arn": dlq_arn}


def queue_arn(sqs: Any, url: str) -> str:
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def ensure_events_topic(sns: Any, sqs: Any, settings: Settings, queues: dict[str, dict[str, str]]) -> str:
    topic_arn = sns.create_topic(Name=settings.name(catalogue.EVENTS_TOPIC))["TopicArn"]
    existing = {s["Endpoint"]: s["SubscriptionArn"] for s in _subscriptions(sns, topic_arn)}
    for queue in catalogue.QUEUES:
        if not queue.subscribes_to:
            continue
        filtered = {
            "FilterPolicy": json.dumps({"type": list(queue.subscribes_to)}),
            "FilterPolicyScope": "MessageAttributes",
        }
        _subscribe(sns, sqs, topic_arn, queues[queue.logical], existing, filtered)
    if catalogue.ANALYTICS_DEV_QUEUE.logical in queues:  # every event, unfiltered, as Firehose gets them in AWS
        _subscribe(sns, sqs, topic_arn, queues[catalogue.ANALYTICS_DEV_QUEUE.logical], existing, {})
    return topic_arn


def _subscribe(
    sns: Any, sqs: Any, topic_arn: str, target: dict[str, str], existing: dict[str, str], filtered: dict[str, str]
) -> None:
    """A raw-delivery subscription of the queue, created or brought up to date."""
    allow_topic_to_send(sqs, target["url"], target["arn"], topic_arn)
    attributes = {"RawMessageDelivery": "true", **filtered}
    subscription = existing.get(target["arn"])
    if subscription is None:
        sns.subscribe(
            TopicArn=topic_arn,
            Protocol="sqs",
            Endpoint=target["arn"],
            Attributes=attributes,
            ReturnSubscriptionArn=True,
        )
        return
    for name, value in attributes.items():
        sns.set_subscription_attributes(SubscriptionArn=subscription, AttributeName=name, AttributeValue=value)


def allow_topic_to_send(sqs: Any, queue_url: str, queue_arn_: str, topic_arn: str) -> None:
    """The queue policy AWS requires for an SNS subscription (emulators accept it and do not enforce it)."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "events-topic",
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn_,
                "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
            }
        ],
    }
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})


def _subscriptions(sns: Any, topic_arn: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn):
        found += page.get("Subscriptions", [])
    return found


# --- S3 -----------------------------------------------------------------------------------------
def ensure_bucket(s3: Any, name: str, bucket: Bucket, region: str) -> None:
    try:
        options = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        s3.create_bucket(Bucket=name, **options)
    except ClientError as error:
        if _code(error) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise
    if bucket.versioned:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    rules = lifecycle_rules(bucket)
    if rules:
        s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})
    if bucket.browser_access:  # reached from the browser through presigned URLs
        s3.put_bucket_cors(Bucket=name, CORSConfiguration=BROWSER_CORS)


def lifecycle_rules(bucket: Bucket) -> list[dict[str, Any]]:
    rules = []
    for prefix, days in bucket.prefixes.items():
        if days is None:
            continue
        rule: dict[str, Any] = {
            "ID": f"expire-{prefix.strip('/')}",
            "Status": "Enabled",
            "Filter": {"Prefix": prefix},
            "Expiration": {"Days": days},
        }
        if bucket.versioned:
            rule["NoncurrentVersionExpiration"] = {"NoncurrentDays": 1}
        rules.append(rule)
    return rules


# --- Cognito ------------------------------------------------------------------------------------
def ensure_user_pool(idp: Any, settings: Settings, pool: UserPool) -> tuple[str, str]:
    name = settings.name(pool.logical)
    pool_id = _find_user_pool(idp, name) or idp.create_user_pool(**user_pool_definition(name, pool))["UserPool"]["Id"]
    client_name = settings.name(pool.client_logical)
    client_id = (
        _find_client(idp, pool_id, client_name)
        or idp.create_user_pool_client(UserPoolId=pool_id, **web_client_definition(client_name, pool))[
            "UserPoolClient"
        ]["ClientId"]
    )
    # Software tokens only (no SMS); setting it again on a running stack changes nothing.
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration=pool.mfa_configuration,
    )
    for group in pool.groups:
        try:
            idp.create_group(UserPoolId=pool_id, GroupName=group, Description=f"SpeakTracker {group}s")
        except ClientError as error:
            if _code(error) != "GroupExistsException":
                raise
    return pool_id, client_id


def user_pool_definition(name: str, pool: UserPool) -> dict[str, Any]:
    # No UsernameAttributes: the Cognito username is the lower-cased email, chosen by the identity service.
    return {
        "PoolName": name,
        "Policies": {
            "PasswordPolicy": {
                "MinimumLength": pool.password_min_length,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
            }
        },
        "Schema": [{"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}],
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False},
        "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
    }


def web_client_definition(name: str, pool: UserPool) -> dict[str, Any]:
    return {
        "ClientName": name,
        "GenerateSecret": False,
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "AccessTokenValidity": pool.access_token_hours,
        "IdTokenValidity": pool.id_token_hours,
        "RefreshTokenValidity": pool.refresh_token_days,
        "TokenValidityUnits": {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"},
        "PreventUserExistenceErrors": "ENABLED",
        "AuthSessionValidity": pool.auth_session_minutes,
    }


def _find_user_pool(idp: Any, name: str) -> str | None:
    for page in idp.get_paginator("list_user_pools").paginate(MaxResults=60):
        for pool in page.get("UserPools", []):
            if pool["Name"] == name:
                return pool["Id"]
    return None


def _find_client(idp: Any, pool_id: str, name: str) -> str | None:
    for page in idp.get_paginator("list_user_pool_clients").paginate(UserPoolId=pool_id, MaxResults=60):
        for client in page.get("UserPoolClients", []):
            if client["ClientName"] == name:
                return client["ClientId"]
    return None


# --- SES ----------------------------------------------------------------------------------------
def ensure_mail_sender(ses: Any, sender: str) -> None:
    """Emulators verify an identity at once; SES refuses to send from an unverified one."""
    ses.verify_email_identity(EmailAddress=sender)


def _code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")
