"""The evidence gallery: folder import off the GUI thread with thumbnails cached on disk, the EXIF-time warning,
duplicates ("该文件已导入"), the size limit, cancel, drag and drop, preview and the players."""

from __future__ import annotations

import warnings
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from pytestqt.qtbot import QtBot

from app.inspections import InspectionService
from app.store import Store
from tests.inspection.district import OFFICER, exif_photo
from tests.inspection.ui_support import make_ctx, settle
from ui.evidence.gallery import EvidenceGallery
from ui.evidence.model import WarningRole
from ui.evidence.preview import EvidencePreviewDialog, MediaPlayerWidget
from ui.evidence.thumbnails import thumbnail_path

pytestmark = pytest.mark.ui


@pytest.fixture
def gallery(qtbot: QtBot, district: Store, started: str):
    ctx = make_ctx(district, OFFICER)
    service = InspectionService(district, OFFICER)
    g = EvidenceGallery(ctx, service)
    qtbot.addWidget(g)
    g.resize(900, 600)
    g.show()
    g.set_snapshot(service.load(started))
    g.changed.connect(lambda: g.set_snapshot(service.load(started)))
    yield g
    ctx.runner.cancel_all()
    ctx.runner.wait(10_000)


def _import(qtbot: QtBot, g: EvidenceGallery, paths: list[Path], **kw):
    importer = g.import_paths(paths, **kw)
    assert importer is not None
    with qtbot.waitSignal(importer.finished, timeout=20000) as blocker:
        pass
    settle(qtbot, g.ctx)
    return blocker.args[0]


def test_folder_import_thumbnails_warning_and_duplicates(qtbot: QtBot, gallery: EvidenceGallery,
                                                         tmp_path: Path) -> None:
    card = tmp_path / "DCIM" / "100CANON"
    card.mkdir(parents=True)
    now = datetime.now(UTC)
    exif_photo(card / "IMG_0001.JPG", now)
    exif_photo(card / "IMG_0002.JPG", now - timedelta(days=3), color=(20, 120, 200))  # far from the visit
    (card / "notes.xyz").write_text("not media")
    (card / ".hidden.jpg").write_bytes(b"skip")
    summary = _import(qtbot, gallery, [tmp_path / "DCIM"])
    assert len(summary.imported) == 2 and not summary.errors and not summary.cancelled
    model = gallery.model
    assert model.rowCount() == 2
    warnings = {model.rows[r].original_name: model.data(model.index(r), WarningRole) for r in range(2)}
    captions = sorted(model.data(model.index(r), Qt.ItemDataRole.DisplayRole) for r in range(2))
    assert captions[0].startswith("IMG_0001.JPG\n拍摄 ") and captions[1] == "IMG_0002.JPG\n拍摄时间偏差，请核实"
    assert warnings["IMG_0001.JPG"] is None
    assert "请核实" in warnings["IMG_0002.JPG"] and "3 天" in warnings["IMG_0002.JPG"]
    for r in range(2):  # thumbnails made off the GUI thread, cached under cache/thumbnails/<sha>.png
        model.data(model.index(r), Qt.ItemDataRole.DecorationRole)
    shas = [ev.sha256 for ev in model.rows]
    qtbot.waitUntil(lambda: all(thumbnail_path(gallery.thumbs.cache_dir, s).exists() for s in shas), timeout=10000)
    gallery.ctx.settings.set_value("evidence/exif_tolerance_hours", 100)  # configurable: 100 h tolerates it
    from ui.evidence.gallery import exif_tolerance

    gallery.model.tolerance = exif_tolerance(gallery.ctx)
    assert gallery.model.warning(next(e for e in model.rows if e.original_name == "IMG_0002.JPG")) is None
    again = _import(qtbot, gallery, [card / "IMG_0001.JPG"])
    assert again.message() == "该文件已导入：IMG_0001.JPG"
    assert gallery.note.text() == "该文件已导入：IMG_0001.JPG"
    assert model.rowCount() == 2


def test_size_limit_and_cancel(qtbot: QtBot, gallery: EvidenceGallery, tmp_path: Path) -> None:
    big = tmp_path / "执法记录仪.mp4"
    big.write_bytes(b"\0" * (3 * 1024 * 1024))
    gallery.max_bytes = 1024 * 1024
    summary = _import(qtbot, gallery, [big])
    assert not summary.imported and "超过单个证据 1 MB 的上限" in summary.message()
    gallery.max_bytes = 1024**3
    huge = tmp_path / "long.mov"
    with huge.open("wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # sparse: reads fast, still hashed chunk by chunk
    importer = gallery.import_paths([huge])
    assert importer is not None
    qtbot.waitUntil(lambda: bool(importer._handles), timeout=5000)
    importer.cancel()
    with qtbot.waitSignal(importer.finished, timeout=20000) as blocker:
        pass
    assert blocker.args[0].cancelled and not blocker.args[0].imported
    settle(qtbot, gallery.ctx)
    assert not list(gallery.ctx.store.paths.evidence.glob(".incoming-*"))  # the temp copy is gone


def test_drop_preview_and_players(qtbot: QtBot, gallery: EvidenceGallery, tmp_path: Path) -> None:
    photo = exif_photo(tmp_path / "far.jpg", datetime.now(UTC) - timedelta(hours=5), size=(1200, 900))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    with warnings.catch_warnings():  # QPoint: the signature every supported PySide6 accepts
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier)
    gallery.dragEnterEvent(enter)
    assert enter.isAccepted()
    gallery.dropEvent(QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                                 Qt.KeyboardModifier.NoModifier))
    assert gallery.importer is not None
    with qtbot.waitSignal(gallery.importer.finished, timeout=20000):
        pass
    settle(qtbot, gallery.ctx)
    gallery.view.setCurrentIndex(gallery.model.index(0))
    dlg = gallery.preview_current()
    assert isinstance(dlg, EvidencePreviewDialog)
    qtbot.waitUntil(lambda: dlg.photo is not None and dlg.photo.loaded, timeout=10000)
    assert dlg.warning_label is not None and "检查之前" in dlg.warning_label.text()
    dlg.close()
    wav = tmp_path / "询问录音.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 8000)
    for video, path in ((False, wav), (True, tmp_path / "clip.mp4")):
        player = MediaPlayerWidget(video)
        qtbot.addWidget(player)
        player.set_source(path)
        assert player.player.source() == QUrl.fromLocalFile(str(path))
        assert (player.video is not None) == video
        player.toggle()  # may fail to play offscreen: it must not crash, and says why
        player.stop()


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="POSIX special files")
def test_folder_import_refuses_fifos_and_outside_links_by_name(qtbot: QtBot, gallery: EvidenceGallery,
                                                             tmp_path: Path) -> None:
    """A camera card with a photo, a FIFO, a link inside the card, a link to /etc/passwd and a non-UTF-8 name:
    the photos are imported, the FIFO and the outside link are refused by name in Chinese, nothing hangs."""
    import os

    card = tmp_path / "card"
    card.mkdir()
    exif_photo(card / "IMG_0001.JPG", datetime(2026, 11, 20, 1, 0, tzinfo=UTC))
    os.mkfifo(card / "stuck.mp4")
    (card / "same.jpg").symlink_to(card / "IMG_0001.JPG")
    (card / "passwd.jpg").symlink_to("/etc/passwd")
    odd = os.path.join(os.fsencode(card), b"\xb8\xdf\xc3\xc0.jpg")  # GBK bytes: not UTF-8
    with open(odd, "wb") as f:
        f.write(b"\xff\xd8\xff" + b"gbk-named" * 100)
    summary = _import(qtbot, gallery, [card])
    assert len(summary.imported) == 2 and not summary.cancelled  # the photo and the GBK-named file
    assert any("\\xb8\\xdf" in n for n in summary.names)
    text = summary.message()
    assert "stuck.mp4" in text and "管道" in text and "passwd.jpg" in text and "以外" in text
    assert "Error" not in text
