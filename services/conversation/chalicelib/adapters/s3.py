"""Recordings and the partner's speech in the user-content bucket, reached by clients through presigned URLs."""

from __future__ import annotations

from speaktracker.storage import PresignedBucket


class S3Recordings(PresignedBucket):
    """Conversation's ``RecordingStore``: the shared bucket's put and read, plus exists (the speech cache)
    and delete (a recording stored for a message that was then refused)."""

    def exists(self, key: str) -> bool:
        return self.head(key) is not None

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self._bucket, Key=key)
