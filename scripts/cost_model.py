"""Monthly AWS cost per N active learners, from a JSON of assumptions (usage, per-action counts, prices).

Prints the cost table as Markdown; ``--write`` puts it into docs/cost-model.md between its markers, ``--check``
exits 1 when the doc's table is not what the assumptions give (so the doc stays reproducible).

    python scripts/cost_model.py [--assumptions docs/cost-model.json] [--write | --check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSUMPTIONS = ROOT / "docs" / "cost-model.json"
DOC = ROOT / "docs" / "cost-model.md"
BEGIN, END = "<!-- cost-model:begin -->", "<!-- cost-model:end -->"
MILLION = 1_000_000


def monthly_quantities(model: dict) -> dict[str, float]:
    """What N learners use in a month: requests, seconds, characters, tokens, gigabytes."""
    u, c = model["usage_per_learner_per_month"], model["counts"]
    n = model["learners"]
    practice = n * u["practice_sessions"]
    sentences = practice * u["sentences_per_practice_session"]
    evaluations = practice * u["evaluations_per_practice_session"]
    conversations = n * u["conversations"]
    turns = conversations * u["turns_per_conversation"]
    sessions = practice + conversations
    api = (
        practice * c["api_requests_per_practice_session"]
        + sentences * c["api_requests_per_sentence"]
        + evaluations * c["api_requests_per_evaluation"]
        + conversations * c["api_requests_per_conversation"]
        + turns * c["api_requests_per_turn"]
        + sessions * u["other_api_requests_per_session"]
    )
    invocations = (
        api * c["lambda_invocations_per_api_request"]
        + sentences * c["lambda_invocations_per_sentence"]
        + turns * c["lambda_invocations_per_turn"]
    )
    audio_seconds = evaluations * u["recording_seconds_per_evaluation"] + turns * u["recording_seconds_per_turn"]
    # Practice sends Transcribe only the stretches of extra speech the aligner found (a word said in another's
    # place or added), so only some evaluations make a request; every conversation turn makes one.
    billed_transcribe_seconds = evaluations * c["transcribe_requests_per_evaluation"] * max(
        u["recording_seconds_per_evaluation"], model["prices"]["transcribe_minimum_seconds_per_request"]
    ) + turns * max(u["recording_seconds_per_turn"], model["prices"]["transcribe_minimum_seconds_per_request"])
    # Practice's daily warm_bank_audio schedule makes the whole bank again every 3 days (5 days of reuse, renewed
    # when under 2 are left): a fixed amount, whatever the number of learners.
    bank_characters = c["bank_characters_per_voice"] * c["bank_voices_made_ahead"] * c["bank_renewals_per_month"]
    stored_kb = (audio_seconds * c["stored_audio_kb_per_second"] + sentences * c["stored_clip_kb_per_sentence"]) * c[
        "months_of_audio_kept"
    ]
    return {
        "api_requests": api,
        "websocket_messages": sentences * c["websocket_pushes_per_sentence"] + turns * c["websocket_pushes_per_turn"],
        "websocket_minutes": sessions * u["websocket_minutes_per_session"],
        "lambda_invocations": invocations,
        "lambda_gb_seconds": invocations * c["lambda_gb_seconds_per_invocation"],
        "dynamodb_writes": api * c["dynamodb_writes_per_api_request"],
        "dynamodb_reads": api * c["dynamodb_reads_per_api_request"],
        "sqs_sns_requests": sentences * c["sqs_sns_requests_per_sentence"] + turns * c["sqs_sns_requests_per_turn"],
        "polly_characters": sentences * c["tts_characters_per_sentence"] * (1 - c["tts_cache_hit_rate"])
        + turns * c["tts_characters_per_turn_reply"]
        + bank_characters,
        "polly_bank_characters": bank_characters,
        "transcribe_minutes": billed_transcribe_seconds / 60,
        "claude_input_tokens": turns * c["claude_calls_per_turn"] * c["claude_input_tokens_per_turn"],
        "claude_output_tokens": turns * c["claude_calls_per_turn"] * c["claude_output_tokens_per_turn"],
        "s3_gb": stored_kb / 1024 / 1024,
        "web_transfer_gb": sessions * c["web_transfer_mb_per_session"] / 1024,
    }


def monthly_costs(model: dict) -> list[tuple[str, str, float]]:
    """(line, quantity as text, USD per month) for each priced line."""
    q, p = monthly_quantities(model), model["prices"]
    return [
        (
            "API Gateway REST",
            f"{q['api_requests']:,.0f} requests",
            q["api_requests"] / MILLION * p["api_gateway_rest_per_million"],
        ),
        (
            "API Gateway WebSocket",
            f"{q['websocket_messages']:,.0f} messages, {q['websocket_minutes']:,.0f} connection-minutes",
            q["websocket_messages"] / MILLION * p["websocket_messages_per_million"]
            + q["websocket_minutes"] / MILLION * p["websocket_connection_minutes_per_million"],
        ),
        (
            "Lambda",
            f"{q['lambda_invocations']:,.0f} invocations, {q['lambda_gb_seconds']:,.0f} GB-s",
            q["lambda_invocations"] / MILLION * p["lambda_requests_per_million"]
            + q["lambda_gb_seconds"] * p["lambda_per_gb_second"],
        ),
        (
            "DynamoDB (on demand)",
            f"{q['dynamodb_writes']:,.0f} writes, {q['dynamodb_reads']:,.0f} reads, {p['dynamodb_gb']} GB",
            q["dynamodb_writes"] / MILLION * p["dynamodb_write_request_units_per_million"]
            + q["dynamodb_reads"] / MILLION * p["dynamodb_read_request_units_per_million"]
            + p["dynamodb_gb"] * p["dynamodb_storage_per_gb_month"],
        ),
        (
            "SQS + SNS",
            f"{q['sqs_sns_requests']:,.0f} requests",
            q["sqs_sns_requests"] / MILLION * p["sqs_sns_requests_per_million"],
        ),
        ("S3 (audio kept)", f"{q['s3_gb']:,.1f} GB", q["s3_gb"] * p["s3_standard_per_gb_month"]),
        (
            "Polly (neural)",
            f"{q['polly_characters']:,.0f} characters ({q['polly_bank_characters']:,.0f} making the bank ahead)",
            q["polly_characters"] / MILLION * p["polly_neural_per_million_characters"],
        ),
        (
            "Transcribe",
            f"{q['transcribe_minutes']:,.0f} billed minutes",
            q["transcribe_minutes"] * p["transcribe_per_minute"],
        ),
        (
            "Claude (Sonnet tier)",
            f"{q['claude_input_tokens'] / MILLION:,.1f} M input, "
            f"{q['claude_output_tokens'] / MILLION:,.1f} M output tokens",
            q["claude_input_tokens"] / MILLION * p["claude_sonnet_input_per_million_tokens"]
            + q["claude_output_tokens"] / MILLION * p["claude_sonnet_output_per_million_tokens"],
        ),
        ("CloudFront", f"{q['web_transfer_gb']:,.1f} GB", q["web_transfer_gb"] * p["cloudfront_per_gb"]),
    ]


def markdown_table(model: dict) -> str:
    rows = monthly_costs(model)
    total = sum(cost for _, _, cost in rows)
    lines = [
        f"Per {model['learners']:,} monthly active learners:",
        "",
        "| line | quantity per month | USD per month |",
        "| --- | --- | --- |",
        *(f"| {name} | {quantity} | {cost:,.2f} |" for name, quantity, cost in rows),
        f"| **total** | | **{total:,.2f}** |",
        f"| seed 002's estimate | | {model['seed_002_estimate_per_month']:,.2f} |",
    ]
    return "\n".join(lines)


def replace_table(doc: str, table: str) -> str:
    head, _, rest = doc.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{table}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assumptions", type=Path, default=ASSUMPTIONS)
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="write the table into docs/cost-model.md")
    action.add_argument("--check", action="store_true", help="exit 1 when docs/cost-model.md is not current")
    args = parser.parse_args(argv)
    table = markdown_table(json.loads(args.assumptions.read_text()))
    if not (args.write or args.check):
        print(table)
        return 0
    doc = DOC.read_text()
    current = replace_table(doc, table)
    if args.write:
        DOC.write_text(current)
        return 0
    if current != doc:
        print(f"{DOC.name} is not what {args.assumptions.name} gives: run `make cost-model`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
