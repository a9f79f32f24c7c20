"""A read-only, seekable QIODevice over the plaintext of an encrypted evidence blob, so that QMediaPlayer plays
a video or a recording straight from the encrypted file (`QMediaPlayer.setSourceDevice`) — nothing is ever
decrypted to disk. Reads decrypt only the 64 KiB chunks they touch (`app.crypto.blobs.BlobReader`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QIODevice, QObject

from app.crypto.blobs import BlobReader


class SealedDevice(QIODevice):
    def __init__(self, reader: BlobReader, parent: QObject | None = None) -> None:
        if parent is None:
            super().__init__()
        else:
            super().__init__(parent)
        self._reader = reader
        self.open(QIODevice.OpenModeFlag.ReadOnly | QIODevice.OpenModeFlag.Unbuffered)

    def isSequential(self) -> bool:
        return False

    def size(self) -> int:
        return self._reader.size

    def seek(self, pos: int) -> bool:
        if not 0 <= pos <= self._reader.size:
            return False
        self._reader.seek(pos)
        return super().seek(pos)

    def readData(self, maxlen: int) -> bytes:
        try:
            return self._reader.read(maxlen)
        except OSError:  # fails authentication: an error to the player, never altered bytes
            return b""

    def writeData(self, *_args: Any) -> int:  # read-only; whichever of its two signatures Qt calls
        return -1

    def close(self) -> None:
        self._reader.close()
        super().close()
