"""Where the engine keeps files: course backups (the `backups` storage: a folder under
MEDIA_ROOT, or S3-compatible object storage) and grade exports (the default storage).

A backup never sits whole in memory, nor needs a local copy: it streams from Moodle into the
storage (a multipart upload for object storage) while its checksums are computed, and streams
back out of it to Moodle (or Moodle fetches it from a short-lived signed link).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage, storages
from django.urls import reverse

from moodle_client import MoodleClient
from moodle_client.types.files import DownloadedFile

READ_CHUNK = 1024 * 1024
_LINK_SALT = "passage.backup-link"


def backup_storage() -> Storage:
    try:
        return storages["backups"]
    except Exception:  # no "backups" storage configured: use the default one
        return default_storage


def _local_path(storage: Storage, name: str) -> Path | None:
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


def _s3_object(storage: Storage, name: str) -> Any:
    """The boto3 object behind `name` in an S3 storage (django-storages' own key naming)."""
    from storages.utils import clean_name

    return storage.bucket.Object(storage._normalize_name(clean_name(name)))  # type: ignore[attr-defined]


def backup_download(*, client: MoodleClient, url: str, name: str) -> DownloadedFile:
    """Download a backup file into the backup storage under `name` (replacing a partial file a
    crashed attempt left there) and return its size and checksums as computed while it came in.
    """
    storage = backup_storage()
    if storage.exists(name):
        storage.delete(name)
    local = _local_path(storage, name)
    if local is not None:
        _private_folders(Path(storage.path("")), local.parent)
        return client.download_file(url, local)
    return client.download_file(url, lambda: _multipart_writer(storage, name))


class _PartWriter:
    """Gathers written bytes into parts of `part_size` and uploads each one as it fills."""

    def __init__(self, upload: Any, part_size: int) -> None:
        self._upload = upload
        self._part_size = part_size
        self._buffer = bytearray()
        self.parts: list[dict[str, Any]] = []

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= self._part_size:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if not self._buffer and self.parts:
            return
        number = len(self.parts) + 1
        answer = self._upload.Part(number).upload(Body=bytes(self._buffer))
        self.parts.append({"PartNumber": number, "ETag": answer["ETag"]})
        self._buffer.clear()


def _private_folders(root: Path, folder: Path) -> None:
    """Create `folder` (under the storage's `root`) and the folders between, each readable by
    Passage's own user only: backups hold students' data."""
    for path in [*reversed(folder.relative_to(root).parents), folder.relative_to(root)]:
        target = root / path
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        target.chmod(0o700)


@contextlib.contextmanager
def _multipart_writer(storage: Storage, name: str) -> Iterator[_PartWriter]:
    """A multipart upload to object storage: completed when the block ends normally, aborted
    (nothing stored, no parts left billed) when it ends with an exception."""
    upload = _s3_object(storage, name).initiate_multipart_upload(
        ContentType="application/vnd.moodle.backup"
    )
    writer = _PartWriter(upload, settings.BACKUP_S3_PART_BYTES)
    try:
        yield writer
        writer.flush()
    except BaseException:
        upload.abort()
        raise
    upload.complete(MultipartUpload={"Parts": writer.parts})


class _SizedStream:
    """A stream that says how much of it is left to read (what a streamed multipart body
    needs to send its length first)."""

    def __init__(self, body: Any, size: int) -> None:
        self._body = body
        self._size = size
        self._read = 0

    @property
    def len(self) -> int:
        return self._size - self._read

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._body.read(None if size < 0 else size)
        self._read += len(data)
        return data

    def tell(self) -> int:
        return self._read

    def close(self) -> None:
        self._body.close()


def backup_stream(name: str) -> IO[bytes]:
    """The stored backup `name`, open for reading as a stream of known length, read as it is
    consumed; the caller closes it."""
    storage = backup_storage()
    local = _local_path(storage, name)
    if local is not None:
        return local.open("rb")
    answer = _s3_object(storage, name).get()
    return _SizedStream(answer["Body"], int(answer["ContentLength"]))  # type: ignore[return-value]


@contextlib.contextmanager
def backup_open(name: str) -> Iterator[IO[bytes]]:
    """`backup_stream`, closed when the block ends."""
    stream = backup_stream(name)
    try:
        yield stream
    finally:
        stream.close()


@dataclass(frozen=True)
class StoredChecksums:
    size: int
    sha1: str
    sha256: str


def backup_checksums(name: str) -> StoredChecksums:
    """Read the stored backup `name` through once and compute its size and checksums."""
    sha1, sha256, size = hashlib.sha1(), hashlib.sha256(), 0
    with backup_open(name) as stream:
        while chunk := stream.read(READ_CHUNK):
            sha1.update(chunk)
            sha256.update(chunk)
            size += len(chunk)
    return StoredChecksums(size=size, sha1=sha1.hexdigest(), sha256=sha256.hexdigest())


def backup_link(name: str) -> str:
    """A link Moodle can fetch the stored backup `name` from without a session, valid for
    BACKUP_LINK_SECONDS: a pre-signed object URL, or the portal's signed download view."""
    storage = backup_storage()
    if _local_path(storage, name) is None:
        return str(storage.url(name, expire=settings.BACKUP_LINK_SECONDS))  # type: ignore[call-arg]
    token = signing.dumps(name, salt=_LINK_SALT, compress=True)
    return settings.PASSAGE_BASE_URL + reverse("backup_fetch", args=[token])


def backup_name_from_link_token(token: str) -> str:
    """The backup a token of `backup_link` names; `signing.BadSignature` (or its subclass
    `SignatureExpired`) when it was not made here or is too old."""
    name = signing.loads(token, salt=_LINK_SALT, max_age=settings.BACKUP_LINK_SECONDS)
    if not isinstance(name, str):
        raise signing.BadSignature("not a backup link")
    return name


def backup_delete(name: str) -> None:
    storage = backup_storage()
    if storage.exists(name):
        storage.delete(name)


def grades_save(*, name: str, content: bytes) -> str:
    """Store a grade export, replacing an earlier one of the same name; returns its name."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))
