"""File storage that never keeps half a file: a write that fails (the disk is full, say) removes
what it had written and, when the disk is full, says so (``StorageFull``, a 507 for the client)."""

from __future__ import annotations

import contextlib
import errno
import os
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

# "No space left on device" and "Disk quota exceeded".
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


class StorageFull(Exception):  # noqa: N818 (the name says what happened)
    """The file could not be stored: no space is left. Nothing of it was kept."""

    def __init__(self) -> None:
        super().__init__("no space left to store the file")

    @property
    def message(self) -> str:
        return _(
            "The server has no space left to store this file. Nothing was kept: try again "
            "later, and tell the operators."
        )


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, StorageFull) or (isinstance(exc, OSError) and exc.errno in DISK_FULL)


class SafeFileSystemStorage(FileSystemStorage):
    """Django's file system storage, whose streamed writes go through ``os.write`` and are undone
    when one fails."""

    def _save(self, name: str, content: Any) -> str:
        if hasattr(content, "temporary_file_path"):
            # Moved (renamed on the same file system, else copied): undone on failure too.
            full_path = self.path(name)
            existed = os.path.exists(full_path)
            try:
                return str(super()._save(name, content))  # type: ignore[misc]
            except OSError as exc:
                if not existed:
                    _remove(full_path)
                if exc.errno in DISK_FULL:
                    raise StorageFull from exc
                raise
        full_path = self.path(name)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        while True:
            try:
                fd = os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                name = self.get_available_name(name)
                full_path = self.path(name)
            else:
                break
        try:
            try:
                for chunk in content.chunks():
                    data = chunk if isinstance(chunk, bytes) else chunk.encode()
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
        except OSError as exc:
            _remove(full_path)
            if exc.errno in DISK_FULL:
                raise StorageFull from exc
            raise
        except BaseException:
            _remove(full_path)
            raise
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        return os.path.relpath(full_path, self.location).replace("\\", "/")


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
