"""The CTC arithmetic against brute force: every substitution and deletion likelihood equals a forward
pass over the changed sequence."""

import numpy as np
import pytest
from speaktracker.speech import ctc


def _posteriors(frames: int, phones: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(frames, phones + 1)) * 2
    return x - np.logaddexp.reduce(x, axis=1, keepdims=True)


def _likelihood(logp: np.ndarray, seq: list[int]) -> float:
    if not seq:
        return float(logp[:, -1].sum())
    alpha, _ = ctc.forward_backward(logp, seq)
    return ctc.log_likelihood(alpha)


@pytest.mark.parametrize(
    "frames, phones, seq", [(30, 5, [1, 2, 2, 3]), (12, 4, [0]), (20, 4, [0, 1, 0]), (40, 6, [3, 3, 3, 1, 2])]
)
def test_substitutions_and_deletions_equal_forward_passes_over_the_changed_sequence(frames, phones, seq):
    logp = _posteriors(frames, phones, seed=len(seq))
    alpha, beta = ctc.forward_backward(logp, seq)
    found = ctc.competition(logp, seq, alpha, beta)
    assert np.logaddexp(beta[0, 0], beta[0, 1]) == pytest.approx(found.canonical)
    for i in range(len(seq)):
        for k in range(phones):
            assert found.substituted[i, k] == pytest.approx(_likelihood(logp, seq[:i] + [k] + seq[i + 1 :]))
        assert found.deleted[i] == pytest.approx(_likelihood(logp, seq[:i] + seq[i + 1 :]))


def test_the_alignment_puts_each_phone_where_its_posterior_peaks():
    blank, phones = 3, 3
    logp = np.full((12, phones + 1), np.log(0.02))
    logp[:, blank] = np.log(0.94)
    for t, p in ((2, 0), (3, 0), (6, 1), (9, 2)):
        logp[t] = np.log(0.02)
        logp[t, p] = np.log(0.94)
    spans = ctc.phone_spans(ctc.viterbi_path(logp, [0, 1, 2]), 3)
    assert spans == [(2, 4), (6, 7), (9, 10)]


def test_a_long_sentence_is_aligned_past_127_lattice_states():
    # 70 phones: 141 lattice states, beyond the int8 back-pointers' range (a long bank sentence used to crash).
    seq = [i % 5 for i in range(70)]
    blank = 5
    logp = np.full((300, 6), np.log(0.01))
    logp[:, blank] = np.log(0.95)
    for i, p in enumerate(seq):
        logp[4 * i + 2] = np.log(0.01)
        logp[4 * i + 2, p] = np.log(0.95)
    spans = ctc.phone_spans(ctc.viterbi_path(logp, seq), len(seq))
    assert spans == [(4 * i + 2, 4 * i + 3) for i in range(len(seq))]
