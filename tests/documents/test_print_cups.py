"""A real print: documents go through the app's print path (QPrinter on the CUPS queue "PDF", painted off the
GUI thread as one job) and CUPS-PDF's output file is checked against the issued PDFs.

CUPS-PDF turns the job into PostScript and back through Ghostscript, which rebuilds the CJK fonts as Type 3
fonts whose Unicode map is lost (measured here with gs 10: pdftotext gives dingbats for every glyph). So the
text layer is asserted when it survives, and otherwise the printed pages are compared pixel by pixel with the
issued PDF (same page count, near-identical rasterisation)."""

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


def _wait_for(title: str, timeout: float = 90.0) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for directory in output_dirs():
            if directory.is_dir():
                try:
                    found = [p for p in directory.iterdir() if title in p.name and p.suffix == ".pdf"]
                except PermissionError:
                    continue
                if found and found[0].stat().st_size > 0:
                    time.sleep(0.5)  # let CUPS-PDF finish writing
                    return found[0]
        time.sleep(0.25)
    raise AssertionError(f"CUPS-PDF wrote no file for job {title} in {[str(d) for d in output_dirs()]}")


def _raster(pdf: Path, page: int, out: Path) -> Any:
    from PIL import Image

    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            "40",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    return Image.open(f"{out}.pgm")


def _difference(a: Any, b: Any) -> float:
    from PIL import ImageChops, ImageStat

    b = b.resize(a.size)
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


@pytest.mark.skipif(
    not _cups_running(), reason="cupsd is not running (start it with: bash scripts/start-cups.sh)"
)
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_print_through_the_cups_pdf_queue(rendered: dict[str, Any], tmp_path: Path) -> None:
    if not _queue_exists():
        pytest.skip("no CUPS queue named PDF (bash scripts/start-cups.sh creates it)")
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinter

    from ui.documents.printing import print_batch

    docs = [rendered["docs"]["correction_order"], rendered["docs"]["onsite_record"]]
    title = f"lxt-print-{uuid.uuid4().hex[:10]}"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName("PDF")
    assert printer.isValid()
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setDocName(title)
    seen: list[tuple[int, int, str]] = []
    pages = print_batch(printer, rendered["store"], docs, progress=lambda d, t, s: seen.append((d, t, s)))
    expected = sum(len(PdfReader(str(rendered["pdf"][d.doc_type])).pages) for d in docs)
    assert pages == expected and seen[-1][:2] == (2, 2)

    printed = _wait_for(title)
    reader = PdfReader(str(printed))
    assert len(reader.pages) == expected  # both documents, one job
    fonts = subprocess.run(["pdffonts", str(printed)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in f for f in fonts)  # every font embedded
    text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in reader.pages))
    if docs[0].number in text:
        for doc in docs:
            assert doc.number in text and doc.body_legal_name in text
    else:  # CUPS-PDF's Ghostscript round trip dropped the text layer: compare what is on the paper
        offset = 0
        for doc in docs:
            own = rendered["pdf"][doc.doc_type]
            for page in range(1, len(PdfReader(str(own)).pages) + 1):
                ours = _raster(own, page, tmp_path / f"ours-{doc.doc_type}-{page}")
                theirs = _raster(printed, offset + page, tmp_path / f"cups-{doc.doc_type}-{page}")
                assert _difference(ours, theirs) < 8.0, (doc.doc_type, page)  # another page: ~17
            offset += len(PdfReader(str(own)).pages)
    printed.unlink(missing_ok=True)
