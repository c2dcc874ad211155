"""The user-content bucket as the services use it: objects reached by clients only through presigned URLs."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from .errors import PayloadTooLarge


class PresignedBucket:
    def __init__(self, client: Any, bucket: str, expires_in: int) -> None:
        self._s3, self._bucket, self._expires = client, bucket, expires_in

    def presign_upload(self, key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
        """A presigned POST: S3 itself enforces the exact key, the content type and the size limit."""
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=self._expires,
        )
        return {"method": "POST", "url": post["url"], "fields": post["fields"], "expiresIn": self._expires}

    def presign_download(self, key: str, expires_in: int | None = None) -> str:
        url: str = self._s3.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=expires_in or self._expires
        )
        return url

    def get(self, key: str) -> bytes | None:
        """The object's bytes, or None if there is none."""
        try:
            body: bytes = self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read()
            return body
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def head(self, key: str) -> tuple[int, str] | None:
        """(size in bytes, content type) of the object, or None if there is none."""
        try:
            head = self._s3.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head["ContentLength"]), head.get("ContentType", "")

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type)

    def read(self, key: str, max_bytes: int) -> tuple[bytes, str] | None:
        """The object's bytes and content type, None if absent; PayloadTooLarge if over ``max_bytes``."""
        found = self.head(key)
        if found is None:
            return None
        size, content_type = found
        if size > max_bytes:
            raise PayloadTooLarge(
                f"A recording must be at most {max_bytes // (1024 * 1024)} MB.",
                "RECORDING_TOO_LARGE",
                {"maxBytes": max_bytes},
            )
        return self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read(), content_type

    def erase_prefix(self, prefix: str) -> int:
        return delete_prefix(self._s3, self._bucket, prefix)


def delete_prefix(client: Any, bucket: str, prefix: str) -> int:
    """Erases every object under ``prefix`` for good: each version and delete marker (the bucket is
    versioned, so a plain delete would only hide them). Raises if S3 refuses any key. Returns how many."""
    if not prefix.endswith("/"):
        raise ValueError("erase a whole folder: the prefix must end with '/'")
    count = 0
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        versions = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
        ]
        if not versions:
            continue
        result = client.delete_objects(Bucket=bucket, Delete={"Objects": versions, "Quiet": True})
        if result.get("Errors"):
            raise RuntimeError(f"S3 kept {len(result['Errors'])} objects under {prefix}")
        count += len(versions)
    return count
