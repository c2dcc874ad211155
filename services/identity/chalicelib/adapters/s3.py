"""Profile images in the user-content bucket, reached only through presigned URLs."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..ports import StoredObject


class S3FileStore:
    def __init__(self, client: Any, bucket: str, expires_in: int) -> None:
        self._s3, self._bucket, self._expires = client, bucket, expires_in

    def presign_upload(self, key: str, content_type: str, max_bytes: int) -> dict:
        """A presigned POST: S3 itself enforces the exact key, the content type and the size limit."""
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket, Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=self._expires,
        )
        return {"method": "POST", "url": post["url"], "fields": post["fields"], "expiresIn": self._expires}

    def presign_download(self, key: str) -> str:
        return self._s3.generate_presigned_url("get_object", Params={"Bucket": self._bucket, "Key": key},
                                               ExpiresIn=self._expires)

    def describe(self, key: str) -> StoredObject | None:
        try:
            head = self._s3.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return StoredObject(size=int(head["ContentLength"]), content_type=head.get("ContentType", ""))
