"""Compare printed pages with the exported PDF: rasterise both with pdftoppm (grey, low dpi) and measure the
mean absolute difference after a slight blur (anti-aliasing of vector text and of an image differ by a pixel).
Measured with the sample documents at 50 dpi: the same page ~2–4, a different page of the same document ~13."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

RASTER_DPI = 50
SAME_PAGE = 6.0


def raster(pdf: Path, page: int, out: Path, dpi: int = RASTER_DPI) -> Any:
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(out)],
        check=True,
        capture_output=True,
    )
    return Image.open(f"{out}.pgm")


def difference(a: Any, b: Any) -> float:
    from PIL import ImageChops, ImageFilter, ImageStat

    b = b.resize(a.size)
    blur = ImageFilter.GaussianBlur(1.5)
    return float(ImageStat.Stat(ImageChops.difference(a.filter(blur), b.filter(blur))).mean[0])


def page_differences(printed: Path, offset: int, own: Path, pages: int, work: Path) -> list[float]:
    """Difference of each page of `own` with page `offset + n` of `printed`."""
    out = []
    for page in range(1, pages + 1):
        ours = raster(own, page, work / f"ours-{own.stem}-{page}")
        theirs = raster(printed, offset + page, work / f"printed-{own.stem}-{offset + page}")
        out.append(difference(ours, theirs))
    return out
