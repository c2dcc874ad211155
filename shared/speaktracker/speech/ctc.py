"""CTC arithmetic over phone log-posteriors (numpy only, no model): forced alignment of a reference phone
sequence and the alignment-free goodness of pronunciation of each of its phones.

``logp`` is a (frames, phones + 1) matrix of log-posteriors; the last column is the CTC blank. A sequence
is a list of phone columns. The CTC lattice of a sequence of N phones has 2N + 1 states: even states are
blanks, state 2i + 1 is phone i.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import FloatArray

NEG = -1e30


def _lattice(seq: list[int], blank: int) -> tuple[FloatArray, FloatArray]:
    """Label of every state, and whether a state may be entered from two states back (a phone that differs
    from the phone before it)."""
    labels = np.full(2 * len(seq) + 1, blank, dtype=int)
    labels[1::2] = seq
    skip = np.zeros(len(labels), dtype=bool)
    for i in range(1, len(seq)):
        skip[2 * i + 1] = seq[i] != seq[i - 1]
    return labels, skip


def forward_backward(logp: FloatArray, seq: list[int]) -> tuple[FloatArray, FloatArray]:
    """alpha[t, s]: log P(frames 0..t, ending in state s); beta[t, s]: log P(frames t..T-1 | in state s at t),
    frame t's emission included in both."""
    frames, blank = len(logp), logp.shape[1] - 1
    labels, skip = _lattice(seq, blank)
    emit = logp[:, labels]
    n = len(labels)
    alpha = np.full((frames, n), NEG)
    alpha[0, : min(2, n)] = emit[0, : min(2, n)]
    for t in range(1, frames):
        prev = alpha[t - 1]
        stay_or_step = np.logaddexp(prev, np.concatenate(([NEG], prev[:-1])))
        jump = np.where(skip, np.concatenate(([NEG, NEG], prev[:-2])), NEG)
        alpha[t] = np.logaddexp(stay_or_step, jump) + emit[t]
    beta = np.full((frames, n), NEG)
    beta[-1, -1] = emit[-1, -1]
    if n > 1:
        beta[-1, -2] = emit[-1, -2]
    skip_from = np.concatenate((skip[2:], [False, False]))  # state s may jump to s + 2
    for t in range(frames - 2, -1, -1):
        nxt = beta[t + 1]
        stay_or_step = np.logaddexp(nxt, np.concatenate((nxt[1:], [NEG])))
        jump = np.where(skip_from, np.concatenate((nxt[2:], [NEG, NEG])), NEG)
        beta[t] = np.logaddexp(stay_or_step, jump) + emit[t]
    return alpha, beta


def log_likelihood(alpha: FloatArray) -> float:
    return float(np.logaddexp(alpha[-1, -1], alpha[-1, -2]) if alpha.shape[1] > 1 else alpha[-1, -1])


def viterbi_path(logp: FloatArray, seq: list[int]) -> FloatArray:
    """Lattice state of every frame on the best CTC path through the reference (phone i is state 2i + 1)."""
    frames, blank = len(logp), logp.shape[1] - 1
    labels, skip = _lattice(seq, blank)
    emit = logp[:, labels]
    n = len(labels)
    score = np.full(n, NEG)
    score[: min(2, n)] = emit[0, : min(2, n)]
    back = np.zeros((frames, n), dtype=np.int8)  # 0 stay, 1 from s-1, 2 from s-2
    for t in range(1, frames):
        options = np.stack(
            [
                score,
                np.concatenate(([NEG], score[:-1])),
                np.where(skip, np.concatenate(([NEG, NEG], score[:-2])), NEG),
            ]
        )
        back[t] = np.argmax(options, axis=0)
        score = options[back[t], np.arange(n)] + emit[t]
    state = n - 1 if n == 1 or score[-1] >= score[-2] else n - 2
    path = np.empty(frames, dtype=int)
    for t in range(frames - 1, -1, -1):
        path[t] = state
        state -= int(back[t, state])  # a Python int: int8 arithmetic would overflow past 127 states
    return path


def phone_spans(path: FloatArray, n: int) -> list[tuple[int, int]]:
    """(first, last + 1) frame of every phone's own frames on the path. CTC is peaky: a phone holds a
    frame or a few, the blanks around it are its onset and release."""
    spans = []
    for i in range(n):
        frames = np.nonzero(path == 2 * i + 1)[0]
        spans.append((int(frames[0]), int(frames[-1]) + 1))
    return spans


@dataclass(frozen=True)
class Competition:
    """Log-likelihood of the whole utterance under the reference and under the reference with one phone
    changed: ``substituted[i, k]`` with phone i replaced by phone column k (k = the canonical phone gives
    ``canonical`` back), ``deleted[i]`` with phone i left out."""

    canonical: float
    substituted: FloatArray  # (N, phones)
    deleted: FloatArray  # (N,)


def competition(logp: FloatArray, seq: list[int], alpha: FloatArray, beta: FloatArray) -> Competition:
    """All substitutions and deletions at once, from the reference's own forward and backward passes: a
    path through the changed sequence is a reference prefix, a run of the new phone, and a reference suffix,
    split at the new phone's first and last frame (so no path is counted twice)."""
    frames, phones = logp.shape[0], logp.shape[1] - 1
    n = len(seq)
    seq_arr = np.array(seq)
    idx = np.arange(n)
    k_all = np.arange(phones)
    # Entering phone i's slot at frame t (its first frame) from the prefix that ended at t - 1.
    from_blank = alpha[:, 2 * idx]  # (T, N): blank before phone i
    prev_phone = np.where(idx > 0, 2 * idx - 1, 0)
    from_prev = np.where(idx > 0, alpha[:, prev_phone], NEG)  # phone i-1, allowed when k differs
    prev_label = np.where(idx > 0, seq_arr[np.maximum(idx - 1, 0)], -1)
    next_label = np.where(idx < n - 1, seq_arr[np.minimum(idx + 1, n - 1)], -1)
    # Leaving after the run's last frame t into the suffix starting at t + 1.
    after_blank = beta[:, 2 * idx + 2]  # (T, N): blank after phone i
    next_phone = np.minimum(2 * idx + 3, 2 * n - 1)
    after_next = np.where(idx < n - 1, beta[:, next_phone], NEG)
    differs_prev = k_all[None, :] != prev_label[:, None]  # (N, K)
    differs_next = k_all[None, :] != next_label[:, None]
    emit = logp[:, :phones]
    run = np.full((n, phones), NEG)
    total = np.full((n, phones), NEG)
    for t in range(frames):
        if t == 0:
            enter = np.full((n, phones), NEG)
            enter[0] = 0.0
        else:
            enter = np.logaddexp(from_blank[t - 1][:, None], np.where(differs_prev, from_prev[t - 1][:, None], NEG))
        run = np.logaddexp(run, enter) + emit[t][None, :]
        if t + 1 < frames:
            leave = np.logaddexp(after_blank[t + 1][:, None], np.where(differs_next, after_next[t + 1][:, None], NEG))
        else:
            leave = np.where(idx == n - 1, 0.0, NEG)[:, None] * np.ones((1, phones))
        total = np.logaddexp(total, run + leave)
    deleted = _deletions(alpha, beta, seq)
    return Competition(canonical=log_likelihood(alpha), substituted=total, deleted=deleted)


def _deletions(alpha: FloatArray, beta: FloatArray, seq: list[int]) -> FloatArray:
    n = len(seq)
    out = np.full(n, NEG)
    for i in range(n):
        if i == 0:
            starts = [beta[0, 2]] + ([beta[0, 3]] if n > 1 else [])
            out[i] = float(np.logaddexp.reduce(starts))
            continue
        ends = alpha[:-1, 2 * i - 1]  # prefix ends on phone i-1 at t; suffix starts at t + 1
        nxt = beta[1:, 2 * i + 2]
        if i + 1 < n and seq[i + 1] != seq[i - 1]:
            nxt = np.logaddexp(nxt, beta[1:, 2 * i + 3])
        total = np.logaddexp.reduce(ends + nxt)
        if i == n - 1:
            total = np.logaddexp(total, alpha[-1, 2 * i - 1])
        out[i] = float(total)
    return out
