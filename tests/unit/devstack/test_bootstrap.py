import json

from speaktracker import catalogue
from speaktracker.aws import AwsClients
from speaktracker.events import TutorMatch, UserRegistered, publisher_from
from speaktracker_dev.bootstrap import bootstrap


def _physical(emulator, logical):
    return emulator.settings.name(logical)


def test_tables_are_exactly_the_catalogue_with_keys_indexes_and_ttl(emulator):
    db = emulator.client("dynamodb")
    prefix = _physical(emulator, "")
    names = {n for n in db.list_tables()["TableNames"] if n.startswith(prefix)}
    assert names == {_physical(emulator, t.logical) for t in catalogue.TABLES}
    for table in catalogue.TABLES:
        described = db.describe_table(TableName=_physical(emulator, table.logical))["Table"]
        keys = {k["KeyType"]: k["AttributeName"] for k in described["KeySchema"]}
        assert keys.get("HASH") == table.hash_key.name
        assert keys.get("RANGE") == (table.range_key.name if table.range_key else None)
        types = {a["AttributeName"]: a["AttributeType"] for a in described["AttributeDefinitions"]}
        assert types == table.attribute_definitions()
        indexes = {
            i["IndexName"]: {k["KeyType"]: k["AttributeName"] for k in i["KeySchema"]}
            for i in described.get("GlobalSecondaryIndexes", [])
        }
        assert indexes == {
            i.name: {"HASH": i.hash_key.name, **({"RANGE": i.range_key.name} if i.range_key else {})}
            for i in table.indexes
        }
        ttl = db.describe_time_to_live(TableName=_physical(emulator, table.logical))["TimeToLiveDescription"]
        if table.ttl_attribute:
            assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": table.ttl_attribute}
        else:
            assert ttl.get("TimeToLiveStatus") == "DISABLED"


def test_queues_have_their_dead_letter_queue_and_redrive(emulator):
    sqs = emulator.client("sqs")
    for queue in catalogue.QUEUES:
        url = sqs.get_queue_url(QueueName=_physical(emulator, queue.logical))["QueueUrl"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        dlq_url = sqs.get_queue_url(QueueName=_physical(emulator, queue.dlq_logical))["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        assert json.loads(attributes["RedrivePolicy"]) == {
            "deadLetterTargetArn": dlq_arn,
            "maxReceiveCount": queue.max_receive_count,
        }
        assert int(attributes["VisibilityTimeout"]) == queue.visibility_timeout
        assert int(attributes["MessageRetentionPeriod"]) == queue.retention_seconds
        assert int(attributes["ReceiveMessageWaitTimeSeconds"]) == queue.receive_wait_seconds


def test_each_subscribing_queue_gets_a_raw_subscription_filtered_on_type(emulator):
    sns = emulator.client("sns")
    topic = emulator.outputs["events_topic_arn"]
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    by_queue = {s["Endpoint"].rsplit(":", 1)[-1]: s["SubscriptionArn"] for s in subscriptions}
    subscribing = [q for q in catalogue.QUEUES if q.subscribes_to]
    analytics = _physical(emulator, catalogue.ANALYTICS_DEV_QUEUE.logical)
    assert set(by_queue) == {_physical(emulator, q.logical) for q in subscribing} | {analytics}
    archived = sns.get_subscription_attributes(SubscriptionArn=by_queue[analytics])["Attributes"]
    assert archived["RawMessageDelivery"] == "true" and "FilterPolicy" not in archived  # every event
    for queue in subscribing:
        attributes = sns.get_subscription_attributes(SubscriptionArn=by_queue[_physical(emulator, queue.logical)])[
            "Attributes"
        ]
        assert attributes["RawMessageDelivery"] == "true"
        assert json.loads(attributes["FilterPolicy"]) == {"type": list(queue.subscribes_to)}


def test_published_events_reach_only_the_queues_that_subscribe_to_their_type(emulator):
    sqs = emulator.client("sqs")
    publisher = publisher_from(AwsClients(emulator.settings))
    publisher.publish(TutorMatch(action="requested", studentEmail="s@example.com", tutorEmail="t@example.com"))
    publisher.publish(UserRegistered(email="new@example.com", name="New", role="student"))
    for queue in catalogue.QUEUES:
        url = emulator.outputs["queue_urls"][queue.logical]
        received = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0, MessageAttributeNames=["All"]
        ).get("Messages", [])
        types = sorted(json.loads(m["Body"])["type"] for m in received)
        assert types == sorted(t for t in ("tutor_match", "user_registered") if t in queue.subscribes_to)
        for message in received:  # raw delivery: the event itself, with its type attribute kept
            assert message["MessageAttributes"]["type"]["StringValue"] == json.loads(message["Body"])["type"]
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    # The analytics queue (Firehose's stand-in) gets every event, whatever its type.
    url = emulator.outputs["queue_urls"][catalogue.ANALYTICS_DEV_QUEUE.logical]
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
    assert sorted(json.loads(m["Body"])["type"] for m in received) == ["tutor_match", "user_registered"]
    for message in received:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_buckets_have_versioning_lifecycle_and_browser_cors(emulator):
    s3 = emulator.client("s3")
    for bucket in catalogue.BUCKETS:
        name = _physical(emulator, bucket.logical)
        versioning = s3.get_bucket_versioning(Bucket=name).get("Status")
        assert versioning == ("Enabled" if bucket.versioned else None)
        expiring = {p: d for p, d in bucket.prefixes.items() if d is not None}
        if expiring:
            rules = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
            assert {r["Filter"]["Prefix"]: r["Expiration"]["Days"] for r in rules} == expiring
        if bucket.prefixes:
            [rule] = s3.get_bucket_cors(Bucket=name)["CORSRules"]
            assert {"GET", "PUT"} <= set(rule["AllowedMethods"])


def test_user_pool_uses_the_email_as_username_and_the_seed_password_policy(emulator):
    idp = emulator.client("cognito-idp")
    pool = idp.describe_user_pool(UserPoolId=emulator.outputs["user_pool_id"])["UserPool"]
    assert pool["Name"] == _physical(emulator, catalogue.USER_POOL.logical)
    assert "UsernameAttributes" not in pool
    policy = pool["Policies"]["PasswordPolicy"]
    assert {
        k: policy[k]
        for k in ("MinimumLength", "RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols")
    } == {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
    }
    email = next(a for a in pool["SchemaAttributes"] if a["Name"] == "email")
    assert email["Required"] is True
    client = idp.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=emulator.outputs["user_pool_client_id"])[
        "UserPoolClient"
    ]
    assert "ClientSecret" not in client
    assert set(client["ExplicitAuthFlows"]) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    groups = {g["GroupName"] for g in idp.list_groups(UserPoolId=pool["Id"])["Groups"]}
    assert groups == set(catalogue.USER_POOL.groups)


def test_the_mail_sender_is_verified(emulator):
    ses = emulator.client("ses")
    sender = emulator.settings.mail_sender
    status = ses.get_identity_verification_attributes(Identities=[sender])["VerificationAttributes"]
    assert status[sender]["VerificationStatus"] == "Success"


def test_running_it_again_changes_nothing(emulator):
    sns, idp = emulator.client("sns"), emulator.client("cognito-idp")
    topic = emulator.outputs["events_topic_arn"]
    before = len(sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"])
    assert bootstrap(emulator.settings) == emulator.outputs
    assert len(sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]) == before
    pools = [
        p
        for p in idp.list_user_pools(MaxResults=60)["UserPools"]
        if p["Name"] == _physical(emulator, catalogue.USER_POOL.logical)
    ]
    assert len(pools) == 1
