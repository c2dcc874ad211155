"""The cost model: docs/cost-model.md is what docs/cost-model.json gives, and its arithmetic follows the inputs."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def cost_model():
    spec = importlib.util.spec_from_file_location("cost_model", ROOT / "scripts" / "cost_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def assumptions() -> dict:
    return json.loads((ROOT / "docs" / "cost-model.json").read_text())


def test_the_doc_is_what_the_assumptions_give(cost_model):
    assert cost_model.main(["--check"]) == 0


def test_costs_scale_with_learners(cost_model, assumptions):
    doubled = copy.deepcopy(assumptions)
    doubled["learners"] *= 2
    one = {name: cost for name, _, cost in cost_model.monthly_costs(assumptions)}
    two = {name: cost for name, _, cost in cost_model.monthly_costs(doubled)}
    # DynamoDB storage is a fixed GB figure and Polly has the bank made ahead (the same for any number of
    # learners); every other line is proportional to usage.
    for name in one:
        if name not in ("DynamoDB (on demand)", "Polly (neural)"):
            assert two[name] == pytest.approx(2 * one[name]), name
    bank = cost_model.monthly_quantities(assumptions)["polly_bank_characters"]
    bank_cost = bank / 1_000_000 * assumptions["prices"]["polly_neural_per_million_characters"]
    assert bank > 0 and two["Polly (neural)"] - bank_cost == pytest.approx(2 * (one["Polly (neural)"] - bank_cost))


def test_transcribe_bills_the_minimum_per_request(cost_model, assumptions):
    usage = assumptions["usage_per_learner_per_month"]
    minimum = assumptions["prices"]["transcribe_minimum_seconds_per_request"]
    requests = assumptions["learners"] * (
        usage["practice_sessions"]
        * usage["evaluations_per_practice_session"]
        * assumptions["counts"]["transcribe_requests_per_evaluation"]
        + usage["conversations"] * usage["turns_per_conversation"]
    )
    assert usage["recording_seconds_per_evaluation"] < minimum
    assert cost_model.monthly_quantities(assumptions)["transcribe_minutes"] == pytest.approx(requests * minimum / 60)


def test_cached_sentences_cost_no_synthesis(cost_model, assumptions):
    assumptions["counts"]["tts_cache_hit_rate"] = 1.0
    assumptions["counts"]["tts_characters_per_turn_reply"] = 0
    assumptions["counts"]["bank_renewals_per_month"] = 0
    assert cost_model.monthly_quantities(assumptions)["polly_characters"] == 0


def test_a_stale_doc_is_reported(cost_model, assumptions, tmp_path, capsys):
    assumptions["learners"] = 2000
    changed = tmp_path / "assumptions.json"
    changed.write_text(json.dumps(assumptions))
    assert cost_model.main(["--check", "--assumptions", str(changed)]) == 1
    assert "make cost-model" in capsys.readouterr().err
