"""Assessment in worker processes (the dev stack's hosts): the same results and errors as in-process, with the
work done outside the host process, so its other requests are not held behind pocketsphinx's GIL."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from speaktracker.settings import Settings
from speaktracker.speech import AudioEmpty, ReferenceTextError, SpeechEngineError, build_speech
from speaktracker.speech.pool import AssessorPool

SENTENCES = ("Where is the subway station?", "I like green apples very much.")


@pytest.fixture(scope="module")
def pool():
    workers = AssessorPool(2)
    yield workers
    workers.close()


def test_the_pool_assesses_as_this_process_does(pool, engine, speak):
    for sentence in SENTENCES:
        assert pool.assess(speak(sentence), sentence, "audio/wav") == engine.assessor.assess(speak(sentence), sentence)


def test_input_errors_reach_the_caller_as_the_engine_raised_them(pool, speak):
    with pytest.raises(AudioEmpty):
        pool.assess(b"", "Hello.")
    with pytest.raises(ReferenceTextError):
        pool.assess(speak(SENTENCES[0]), "!!!")


def test_concurrent_assessments_cost_the_host_process_almost_no_cpu(pool, engine, speak):
    readings = [(speak(s), s) for s in SENTENCES * 2]
    pool.assess(*readings[0])  # both workers may still be loading the engine: not what is measured
    started = time.process_time()
    for audio, text in readings:
        engine.assessor.assess(audio, text)
    in_process = time.process_time() - started
    started = time.process_time()
    with ThreadPoolExecutor(len(readings)) as threads:
        results = list(threads.map(lambda r: pool.assess(*r), readings))
    in_host = time.process_time() - started
    assert [r.reference_text for r in results] == [text for _, text in readings]
    assert in_host < in_process / 5, (in_host, in_process)


def test_a_setting_chooses_the_pool_and_each_process_has_one():
    first = build_speech(Settings(speech_engine="local", assessment_workers=2)).assessor
    assert isinstance(first, AssessorPool) and first.workers == 2
    assert build_speech(Settings(speech_engine="local", assessment_workers=2)).assessor is first
    assert not isinstance(build_speech(Settings(speech_engine="local")).assessor, AssessorPool)


def test_a_pool_needs_a_worker():
    with pytest.raises(ValueError):
        AssessorPool(0)


def test_workers_leave_when_their_host_is_killed(tmp_path):
    host = textwrap.dedent(
        """
        import os, sys
        from speaktracker.speech.pool import AssessorPool

        pool = AssessorPool(1)
        pool._ready().submit(os.getpid).result()  # the worker is up: it answers with its own pid
        print(pool._ready().submit(os.getpid).result(), flush=True)
        sys.stdin.read()
        """
    )
    process = subprocess.Popen([sys.executable, "-c", host], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    worker = int(process.stdout.readline())
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_worker_that_dies_fails_its_request_as_the_engines_fault_and_the_next_one_is_served(speak):
    pool = AssessorPool(1)
    try:
        worker = pool._ready().submit(os.getpid).result()
        audio = speak(" ".join(SENTENCES))
        with ThreadPoolExecutor(1) as thread:
            pending = thread.submit(pool.assess, audio, " ".join(SENTENCES))
            time.sleep(0.2)
            os.kill(worker, signal.SIGKILL)
            with pytest.raises(SpeechEngineError):
                pending.result()
        assert pool.assess(speak(SENTENCES[0]), SENTENCES[0]).completeness_score == 100
    finally:
        pool.close()
