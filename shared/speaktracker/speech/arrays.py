"""The array types of the speech engine (numpy.typing): samples, log posteriors, features and scores are floating
point arrays; paths and indices are integer arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.floating[Any]]
IntArray = NDArray[np.integer[Any]]
BoolArray = NDArray[np.bool_]
# A recording's 16-bit PCM samples (speech.audio decodes every upload to 16 kHz mono int16).
Samples = NDArray[np.int16]
