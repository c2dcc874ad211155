"""Profile images in the user-content bucket, reached only through presigned URLs."""

from __future__ import annotations

from speaktracker.storage import PresignedBucket

from ..ports import StoredObject


class S3FileStore(PresignedBucket):
    def describe(self, key: str) -> StoredObject | None:
        found = self.head(key)
        return None if found is None else StoredObject(size=found[0], content_type=found[1])
