"""A real print: every document type goes through the app's print path — the code the accepted QPrintDialog
runs (`DocumentPrinter.print_documents` → `print_on`): a worker draws each issued PDF's own pages on a QPrinter on
the CUPS queue "PDF", one job — and CUPS-PDF's output file is compared page by page with the exported PDFs
(rasterised with pdftoppm, near-identical), at two printer resolutions.

Printed pages are the PDF's pages rasterised at the printer's resolution, so the paper has no text layer of its
own; what is compared is what is on the paper."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.usefixtures("qapp")


def _cups_running() -> bool:
    if shutil.which("lpstat") is None:
        return False
    out = subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout
    return "is running" in out and "not running" not in out


def _queue_exists() -> bool:
    return subprocess.run(["lpstat", "-p", "PDF"], capture_output=True, text=True).returncode == 0


def output_dirs() -> list[Path]:
    """Where CUPS-PDF writes: `Out` of /etc/cups/cups-pdf.conf (default ${HOME}/PDF) for the job's user, and
    `AnonDirName` (default /var/spool/cups-pdf/ANONYMOUS)."""
    out, anon = "${HOME}/PDF", "/var/spool/cups-pdf/ANONYMOUS"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text(errors="replace").splitlines():
            m = re.match(r"^\s*(Out|AnonDirName)\s+(\S+)", line)
            if m and m.group(1) == "Out":
                out = m.group(2)
            elif m:
                anon = m.group(2)
    user = pwd.getpwuid(os.getuid())
    out = out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name)
    return [Path(out), Path(anon)]


def _complete(path: Path) -> bool:
    """CUPS-PDF has finished writing: the file ends with %%EOF and its size holds still for half a second."""
    size = path.stat().st_size
    if size == 0:
        return False
    with path.open("rb") as f:
        f.seek(max(0, size - 64))
        if b"%%EOF" not in f.read():
            return False
    time.sleep(0.5)
    return path.stat().st_size == size


def _wait_for(title: str, timeout: float = 600.0) -> Path:
    """CUPS-PDF's file for the job titled `title`. A 600 dpi job of 21 pages is ~40 MB that CUPS-PDF turns
    through Ghostscript: measured 110 s on a quiet 2-core machine, 155 s under the full suite — hence the
    generous limit (the test fails only when nothing arrives)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for directory in output_dirs():
            if directory.is_dir():
                try:
                    found = [p for p in directory.iterdir() if title in p.name and p.suffix == ".pdf"]
                except PermissionError:
                    continue
                if found and _complete(found[0]):
                    return found[0]
        time.sleep(0.25)
    raise AssertionError(f"CUPS-PDF wrote no file for job {title} in {[str(d) for d in output_dirs()]}")


class _Dialog:
    """Stands in for the clerk at QPrintDialog: a real dialog object whose exec() picks the CUPS-PDF queue and
    a resolution, then accepts — so the code after `dialog.exec()` is the one the clerk drives."""

    resolution = 300
    title = ""

    @classmethod
    def make(cls) -> type:
        from PySide6.QtPrintSupport import QPrintDialog

        outer = cls

        class Accepting(QPrintDialog):
            def exec(self) -> int:
                printer = self.printer()
                printer.setPrinterName("PDF")
                printer.setResolution(outer.resolution)
                printer.setDocName(outer.title)
                return int(QPrintDialog.DialogCode.Accepted.value)

        return Accepting


@pytest.mark.skipif(
    not _cups_running(), reason="cupsd is not running (start it with: bash scripts/start-cups.sh)"
)
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("dpi", [300, 600])
def test_printed_pages_are_the_exported_pages(
    rendered: dict[str, Any], tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch, dpi: int
) -> None:
    """Every document type, printed through the print dialog's path to the CUPS-PDF queue as one job, comes out
    page for page as the exported PDF (rasterised and compared), at 300 and at 600 dpi."""
    if not _queue_exists():
        pytest.skip("no CUPS queue named PDF (bash scripts/start-cups.sh creates it)")
    from PySide6.QtWidgets import QWidget

    import ui.documents.preview as preview
    from tests.documents.conftest import CLERK
    from tests.documents.raster import SAME_PAGE, page_differences
    from ui.context import AppContext, ChangeBus
    from ui.runner import TaskRunner

    _Dialog.resolution, _Dialog.title = dpi, f"lxt-print-{uuid.uuid4().hex[:10]}"
    monkeypatch.setattr(preview, "QPrintDialog", _Dialog.make())
    runner = TaskRunner()
    ctx = AppContext(store=rendered["store"], user=CLERK, runner=runner, bus=ChangeBus())
    parent = QWidget()
    qtbot.addWidget(parent)
    printer = preview.DocumentPrinter(ctx, parent)
    docs = list(rendered["docs"].values())
    done: list[int] = []
    printer.print_documents(docs, on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=120_000)
    assert printer._printer.resolution() == dpi  # the dialog's choice was used
    counts = {d.doc_type: len(PdfReader(str(rendered["pdf"][d.doc_type])).pages) for d in docs}
    assert done[0] == sum(counts.values())

    printed = _wait_for(_Dialog.title)
    assert len(PdfReader(str(printed)).pages) == done[0]  # every document, one job
    offset, worst = 0, 0.0
    for doc in docs:
        diffs = page_differences(printed, offset, rendered["pdf"][doc.doc_type], counts[doc.doc_type], tmp_path)
        assert all(d < SAME_PAGE for d in diffs), (doc.doc_type, diffs)
        worst = max(worst, *diffs)
        offset += counts[doc.doc_type]
    print(f"{dpi} dpi: {offset} pages, worst page difference {worst:.2f} (limit {SAME_PAGE})")
    printed.unlink(missing_ok=True)
    runner.io_pool.waitForDone(5000)
