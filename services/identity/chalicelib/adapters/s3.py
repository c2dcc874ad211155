"""Profile images and data exports in the user-content bucket, reached by clients only through presigned URLs."""

from __future__ import annotations

from typing import BinaryIO

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
from speaktracker.storage import PresignedBucket

from ..ports import StoredObject

# An export's ZIP goes up in 8 MB parts, a few at a time: what the upload holds in memory stays small.
_UPLOAD = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024, max_concurrency=2)


class S3FileStore(PresignedBucket):
    def describe(self, key: str) -> StoredObject | None:
        found = self.head(key)
        return None if found is None else StoredObject(size=found[0], content_type=found[1])

    def open(self, key: str) -> BinaryIO | None:
        try:
            return self._s3.get_object(Bucket=self._bucket, Key=key)["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def upload(self, key: str, source: BinaryIO, content_type: str) -> None:
        self._s3.upload_fileobj(source, self._bucket, key, ExtraArgs={"ContentType": content_type}, Config=_UPLOAD)
