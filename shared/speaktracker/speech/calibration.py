"""Constants that turn acoustic evidence into scores on the human scale.

PHONE and ACCURACY are fitted by ``scripts/bench_pronunciation.py --fit`` on the TRAIN split of
the speechocean762 development subset only (48 utterances, speakers 0001, 2981, 3002; 671 phones matched to
the corpus's lexicon) and reported on the held-out test split. Re-run the fit when the acoustic front end
changes.

FLUENCY and OVERALL are set by hand, not fitted: on 48 training utterances whose human fluency and total
scores have a spread under one point, a free least-squares fit gave signs that cannot be right (faster
speech and more long pauses both "more fluent") and did not carry over to the test split.
"""

from __future__ import annotations

# P(phone judged correct) = sigmoid(b0 + b1 * min(loop_ratio, 0) + b2 * senone_ratio); score = 100 * P.
PHONE = (1.8569, 0.0092, 0.0076)
# Sentence accuracy (0-100) = a0 + a1 * sentence GOP (winsorised mean loop_ratio of the phones said, see
# scoring.sentence_gop), least squares on the 48 train utterances; the slope must come out positive.
ACCURACY = (84.5216, 0.4339)
# Fluency (0-100) = f0 + f1 * pause share of the speaking span + f2 * long (>= 0.5 s) pauses per word.
FLUENCY = (100.0, -60.0, -40.0)
# Overall (0-100) = (o1 * accuracy + o2 * fluency) * completeness / 100.
OVERALL = (0.7, 0.3)
