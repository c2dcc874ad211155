"""A bounded load smoke inside ``make test``: the load mix of ``make load`` (tests/load) with 8 users for 15 s on
the e2e session's own stack (its usual rate limits, which 8 users stay under). No 5xx answer, no dropped
connection, no task that raised, and every TTS job and conversation turn submitted finishes."""

from load.mix import run_mix

USERS, SECONDS = 8, 15


def test_a_short_load_mix_has_no_server_errors_and_loses_no_work(dev_stack, tmp_path):
    print(run_mix(dev_stack, USERS, SECONDS, tmp_path))
