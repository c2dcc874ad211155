"""Recordings and the partner's speech in the user-content bucket, reached by clients through presigned URLs."""

from __future__ import annotations

from speaktracker.errors import PayloadTooLarge
from speaktracker.storage import PresignedBucket


class S3Recordings(PresignedBucket):
    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type)

    def exists(self, key: str) -> bool:
        return self.head(key) is not None

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self._bucket, Key=key)

    def read(self, key: str, max_bytes: int) -> tuple[bytes, str] | None:
        found = self.head(key)
        if found is None:
            return None
        size, content_type = found
        if size > max_bytes:
            raise PayloadTooLarge(f"A recording must be at most {max_bytes // (1024 * 1024)} MB.",
                                  "RECORDING_TOO_LARGE", {"maxBytes": max_bytes})
        return self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read(), content_type
