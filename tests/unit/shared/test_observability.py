"""Logs, metrics and traces through Powertools, offline: JSON log lines carry the request id, metrics are EMF
lines on stdout (no AWS call), and tracing stays off outside Lambda."""

import json
import logging

from speaktracker import logging as slog
from speaktracker import observability


def _emf_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{") and '"_aws"' in line]


def test_metrics_flush_as_one_emf_line_with_namespace_service_and_units(capsys):
    observability.configure("practice", "prod")
    observability.seconds(observability.SESSION_DURATION, 95)
    observability.count(observability.SENTENCES_PRACTISED)
    with observability.timed(observability.ASSESSMENT_TIME):
        pass
    observability.flush()
    (line,) = _emf_lines(capsys.readouterr().out)
    (directive,) = line["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "SpeakTracker"
    assert directive["Dimensions"] == [["service", "stage"]]
    assert (line["service"], line["stage"]) == ("practice", "prod")
    units = {m["Name"]: m["Unit"] for m in directive["Metrics"]}
    assert units == {
        "PracticeSessionDuration": "Seconds",
        "SentencesPractised": "Count",
        "AssessmentTime": "Milliseconds",
    }
    assert line["PracticeSessionDuration"] == [95.0] and line["SentencesPractised"] == [1.0]
    assert line["AssessmentTime"][0] >= 0


def test_a_flush_with_nothing_recorded_writes_nothing_and_a_flush_clears(capsys):
    observability.configure("conversation")
    observability.count(observability.CONVERSATION_TURNS)
    observability.flush()
    observability.flush()
    assert len(_emf_lines(capsys.readouterr().out)) == 1


def test_a_failing_timed_block_records_no_time(capsys):
    observability.configure("conversation")
    try:
        with observability.timed(observability.AI_RESPONSE_TIME):
            raise RuntimeError("partner down")
    except RuntimeError:
        pass
    observability.flush()
    assert _emf_lines(capsys.readouterr().out) == []


def test_tracing_is_off_outside_lambda_and_a_traced_block_still_runs(monkeypatch):
    monkeypatch.delenv("LAMBDA_TASK_ROOT", raising=False)
    ran = []
    with observability.traced("identity-test", "GET /health", requestId="r-1"):
        ran.append(True)
    assert ran and observability.tracer("identity-test").disabled


def test_log_lines_are_json_with_service_logger_and_the_context_fields(capsys, bare_root_logger):
    slog.configure("INFO", "matching")
    logger = slog.get_logger("matching.test")
    with slog.log_context(requestId="req-1"):
        with slog.log_context(messageId="m-1"):
            slog.log(logger, logging.INFO, "inner", code="X")
        logger.info("outer")
    logger.info("outside")
    inner, outer, outside = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert inner["service"] == "matching" and inner["name"] == "matching.test" and inner["level"] == "INFO"
    assert (inner["requestId"], inner["messageId"], inner["code"]) == ("req-1", "m-1", "X")
    assert outer["requestId"] == "req-1" and "messageId" not in outer
    assert "requestId" not in outside


def test_flushing_again_and_again_raises_no_powertools_warning(capsys):
    # Powertools re-adds "default dimensions" at every flush and warns that they were already added; the
    # dimensions must stay on each metric set instead. Any warning fails here.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for stage in ("dev", "dev", "prod"):
            observability.configure("practice", stage)
            observability.count(observability.SENTENCES_PRACTISED)
            observability.count(observability.SENTENCES_PRACTISED)
            observability.flush()
    lines = _emf_lines(capsys.readouterr().out)
    assert [(line["stage"], line["SentencesPractised"]) for line in lines] == [
        ("dev", [1.0, 1.0]),
        ("dev", [1.0, 1.0]),
        ("prod", [1.0, 1.0]),
    ]
    assert all(line["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["service", "stage"]] for line in lines)
