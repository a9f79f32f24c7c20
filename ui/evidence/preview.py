"""Looking at one piece of evidence: a photo (decoded off the GUI thread at screen size), a video or a recording
(QtMultimedia: QMediaPlayer with QAudioOutput, and QVideoWidget for video), with its metadata — EXIF time,
GPS position, hash — and a warning (icon and text) when the photo was taken far from the inspection time.

Players construct even where no audio or video backend can play (the offscreen test platform); `source()` is
set either way and errors are shown as text.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps
from PySide6.QtCore import QIODevice, QSize, Qt, QUrl
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.evidence_store import blob_path, open_sealed, sealed_reader
from app.inspections.view import EvidenceInfo
from ui.context import AppContext
from ui.evidence.model import KIND_LABELS, gps_text, local_text, size_text, warning_icon
from ui.evidence.sealed_device import SealedDevice

PREVIEW_MAX = 1600


def decode_for_screen(path: Path, max_side: int = PREVIEW_MAX) -> tuple[int, int, bytes]:
    """(width, height, RGB888 bytes) of the encrypted image at `path` scaled to fit `max_side` — decrypted in
    memory, Pillow only, any thread."""
    with open_sealed(path) as f, Image.open(f) as opened:
        opened.draft("RGB", (max_side, max_side))
        img = ImageOps.exif_transpose(opened)
        if img.mode in ("RGBA", "LA", "P"):
            rgba = img.convert("RGBA")
            img = Image.new("RGB", rgba.size, (255, 255, 255))
            img.paste(rgba, mask=rgba.getchannel("A"))
        elif img.mode != "RGB":
            img = img.convert("RGB")
        img.thumbnail((max_side, max_side))
        return img.width, img.height, img.tobytes()


class PhotoView(QLabel):
    """A photo scaled to the label, loaded on the io pool."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._pixmap = QPixmap()
        self.setText(self.tr("Loading…"))

    def load(self, ctx: AppContext, path: Path) -> None:
        ctx.runner.run_io("preview", lambda _j: decode_for_screen(path), on_done=self._loaded,
                          on_error=lambda exc: self.setText(self.tr("Cannot show this image: %1").replace("%1", str(exc))))

    def _loaded(self, result: tuple[int, int, bytes]) -> None:
        w, h, data = result
        self._pixmap = QPixmap.fromImage(QImage(data, w, h, 3 * w, QImage.Format.Format_RGB888).copy())
        self._rescale()

    @property
    def loaded(self) -> bool:
        return not self._pixmap.isNull()

    def resizeEvent(self, event: object) -> None:
        self._rescale()

    def _rescale(self) -> None:
        if not self._pixmap.isNull():
            self.setPixmap(self._pixmap.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))


class MediaPlayerWidget(QWidget):
    """Play / pause, a position slider and the time; a video surface for videos."""

    def __init__(self, video: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        layout = QVBoxLayout(self)
        self.video: QVideoWidget | None = None
        if video:
            self.video = QVideoWidget(self)
            self.video.setMinimumSize(480, 270)
            self.player.setVideoOutput(self.video)
            layout.addWidget(self.video, 1)
        row = QHBoxLayout()
        self.play_button = QPushButton(self.tr("&Play"), self)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, 0)
        self.time = QLabel("00:00 / 00:00", self)
        row.addWidget(self.play_button)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time)
        layout.addLayout(row)
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.play_button.clicked.connect(self.toggle)
        self.slider.sliderMoved.connect(self.player.setPosition)
        self.player.durationChanged.connect(self._duration)
        self.player.positionChanged.connect(self._position)
        self.player.playbackStateChanged.connect(self._state)
        self.player.errorOccurred.connect(self._error)

    def set_source(self, path: Path) -> None:
        """A plain file (not evidence: evidence is encrypted and played through `set_device`)."""
        self.player.setSource(QUrl.fromLocalFile(str(path)))

    def set_device(self, device: QIODevice) -> None:
        self.player.setSourceDevice(device)

    def toggle(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

    def stop(self) -> None:
        self.player.stop()

    def _duration(self, ms: int) -> None:
        self.slider.setRange(0, ms)
        self._position(self.player.position())

    def _position(self, ms: int) -> None:
        self.slider.setValue(ms)
        self.time.setText(f"{_mmss(ms)} / {_mmss(self.player.duration())}")

    def _state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setText(self.tr("&Pause") if playing else self.tr("&Play"))

    def _error(self, _err: QMediaPlayer.Error, text: str) -> None:
        self.error.setText(self.tr("Cannot play this file here: %1").replace("%1", text or ""))
        self.error.show()


def _mmss(ms: int) -> str:
    s = max(0, ms) // 1000
    return f"{s // 60:02d}:{s % 60:02d}"


class EvidencePreviewDialog(QDialog):
    """The photo or player on the left, the metadata (and any warning) on the right."""

    def __init__(self, ctx: AppContext, ev: EvidenceInfo, warning: str | None, parent: QWidget | None = None,
                 *, item_name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{KIND_LABELS.get(ev.kind, ev.kind)}：{ev.original_name}")
        self.path = blob_path(ctx.store.paths.evidence, ev.sha256)
        layout = QHBoxLayout(self)
        self.photo: PhotoView | None = None
        self.player: MediaPlayerWidget | None = None
        if ev.kind in ("photo", "signature"):
            self.photo = PhotoView(self)
            self.photo.load(ctx, self.path)
            layout.addWidget(self.photo, 3)
        elif ev.kind in ("video", "audio"):
            self.player = MediaPlayerWidget(ev.kind == "video", self)
            try:
                self.player.set_device(SealedDevice(sealed_reader(self.path), self))
            except OSError:
                self.player.error.setText(self.tr("Cannot play this file here: %1").replace("%1", ev.original_name))
                self.player.error.show()
            layout.addWidget(self.player, 3)
        else:
            note = QLabel(self.tr("Documents are kept as imported; open the file from the evidence folder to read it."),
                          self)
            note.setWordWrap(True)
            layout.addWidget(note, 3)
        side = QVBoxLayout()
        form = QFormLayout()
        form.addRow(self.tr("Kind:"), QLabel(KIND_LABELS.get(ev.kind, ev.kind)))
        form.addRow(self.tr("File:"), _wrap(ev.original_name))
        form.addRow(self.tr("Size:"), QLabel(size_text(ev.size)))
        form.addRow(self.tr("Imported:"), QLabel(local_text(ev.imported_at)))
        if ev.kind == "photo":
            form.addRow(self.tr("Taken (EXIF):"), QLabel(local_text(ev.exif_time)))
            form.addRow(self.tr("Position (GPS):"), _wrap(gps_text(ev.gps_lat, ev.gps_lon)))
        if item_name:
            form.addRow(self.tr("Check item:"), _wrap(item_name))
        form.addRow(self.tr("SHA-256:"), _wrap(ev.sha256, mono=True))
        form.addRow(self.tr("Platform:"), QLabel(self.tr("uploaded and verified") if ev.uploaded
                                                 else self.tr("waiting for upload")))
        if ev.voided:
            form.addRow(self.tr("Voided:"), _wrap(ev.void_reason or ""))
        side.addLayout(form)
        self.warning_label: QLabel | None = None
        if warning:
            row = QHBoxLayout()
            icon = QLabel(self)
            icon.setPixmap(warning_icon().pixmap(QSize(24, 24)))
            self.warning_label = _wrap(warning)
            self.warning_label.setStyleSheet("color: #a86400;")
            row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(self.warning_label, 1)
            side.addLayout(row)
        side.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        side.addWidget(buttons)
        layout.addLayout(side, 2)
        self.resize(1000, 620)

    def done(self, result: int) -> None:
        if self.player is not None:
            self.player.stop()
        super().done(result)


def _wrap(text: str, *, mono: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if mono:
        label.setStyleSheet("font-family: monospace; font-size: 8pt;")
    return label
