"""Where the engine keeps files: course backups (the `backups` storage, a folder under
MEDIA_ROOT by default) and grade exports (the default storage)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage, storages

from moodle_client import MoodleClient
from moodle_client.types.files import DownloadedFile


def backup_storage() -> Storage:
    try:
        return storages["backups"]
    except Exception:  # no "backups" storage configured: use the default one
        return default_storage


def backup_download(*, client: MoodleClient, url: str, name: str) -> DownloadedFile:
    """Download a backup file into the backup storage under `name` (replacing a partial file a
    crashed attempt left there) and return its size and checksums as computed while it came in.
    """
    storage = backup_storage()
    if storage.exists(name):
        storage.delete(name)
    try:
        local = Path(storage.path(name))
    except NotImplementedError:
        local = None
    if local is not None:
        _private_folders(Path(storage.path("")), local.parent)
        return client.download_file(url, local)
    with tempfile.TemporaryDirectory() as folder:
        downloaded = client.download_file(url, Path(folder) / Path(name).name)
        with downloaded.path.open("rb") as content:
            storage.save(name, File(content))
    return downloaded


def _private_folders(root: Path, folder: Path) -> None:
    """Create `folder` (under the storage's `root`) and the folders between, each readable by
    Passage's own user only: backups hold students' data."""
    for path in [*reversed(folder.relative_to(root).parents), folder.relative_to(root)]:
        target = root / path
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        target.chmod(0o700)


@contextlib.contextmanager
def backup_local_path(name: str) -> Iterator[Path]:
    """A local path holding the stored backup `name` (a temporary copy for remote storages)."""
    storage = backup_storage()
    try:
        local_path: Path | None = Path(storage.path(name))
    except NotImplementedError:
        local_path = None
    if local_path is not None:
        yield local_path
        return
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / Path(name).name
        with storage.open(name, "rb") as source, local.open("wb") as target:
            shutil.copyfileobj(source, target)
        yield local


def grades_save(*, name: str, content: bytes) -> str:
    """Store a grade export, replacing an earlier one of the same name; returns its name."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))
