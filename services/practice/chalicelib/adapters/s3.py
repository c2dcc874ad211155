"""Speech and recordings in the user-content bucket, reached by clients only through presigned URLs."""

from __future__ import annotations

from speaktracker.storage import PresignedBucket


class S3FileStore(PresignedBucket):
    """Practice's ``FileStore``: the shared bucket's put, read (with a size limit) and presigned links."""
