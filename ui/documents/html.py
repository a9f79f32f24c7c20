"""A document's layout blocks turned into Qt rich text (the HTML subset QTextDocument understands).

Plain string building, no Qt: `build_html(inp, px_per_mm)` returns the HTML and the images it refers to by
name (signatures, photos). Sizes are in layout pixels (`px_per_mm` of them per millimetre).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.documents.render_input import RenderInput
from app.documents.templates import FieldSpec
from app.documents.values import CHINA_TZ, cn_date, display, empty, substitute

BLANK = "＿＿＿＿＿＿"
CELL_PAD = 8  # Qt rich text lengths are device pixels of the layout device (300 dpi): about 1 mm
SEAL_MARK = "（印章）"
SEAL_LEFT_MM = 80.0
BODY_PT, SMALL_PT, NAME_PT, TITLE_PT, SUB_PT = 12, 10, 15, 22, 15


@dataclass
class HtmlDoc:
    html: str
    images: dict[str, bytes] = field(default_factory=dict)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n")] or [""]


class _Builder:
    def __init__(self, inp: RenderInput, px_per_mm: float) -> None:
        self.inp = inp
        self.mm = px_per_mm
        self.out: list[str] = []
        self.images: dict[str, bytes] = {}
        self.break_next = False
        self.draft = not inp.issued
        issue = inp.issued_at.astimezone(CHINA_TZ).date().isoformat() if inp.issued_at else None
        self.builtins = {
            "body.legal_name": inp.body_legal_name,
            "body.seal_name": inp.seal_name,
            "number": inp.number or "（签发时编号）",
            "title": inp.template.title,
            "doc_title": inp.template.title,
            "issue_date": cn_date(issue) if issue else "　　年　　月　　日",
        }

    # ---- helpers -------------------------------------------------------------------------------------------

    def pt(self, points: float) -> int:
        """`points` as layout device pixels (Qt applies CSS lengths other than font sizes in device pixels)."""
        return round(points / 72 * 25.4 * self.mm)

    def _style(self, extra: str = "") -> str:
        style = extra
        if self.break_next:
            style = "page-break-before: always; " + style
            self.break_next = False
        return style

    def text(self, template_text: str) -> str:
        if self.draft:  # show a clerk what is still missing
            for spec in self.inp.template.fields:
                if spec.kind in ("text", "multiline") and empty(self.inp.values.get(spec.key)):
                    template_text = template_text.replace("{" + spec.key + "}", BLANK)
        return substitute(template_text, self.inp.template, self.inp.values, self.builtins)

    def p(
        self,
        text: str,
        *,
        indent: bool = True,
        align: str = "justify",
        size: float = BODY_PT,
        bold: bool = False,
    ) -> None:
        weight = "font-weight: bold; " if bold else ""
        ind = f"text-indent: {self.pt(2 * size)}px; " if indent else ""
        style = self._style(
            f"{ind}{weight}font-size: {size}pt; margin-top: {self.pt(3)}px; margin-bottom: {self.pt(3)}px;"
        )
        self.out.append(f'<p align="{align}" style="{style}">{_esc(text)}</p>')

    def value(self, key: str) -> str:
        spec = self.inp.template.by_key[key]
        return display(spec, self.inp.values.get(key))

    def img(self, name: str, data: bytes, height_mm: float, width_mm: float | None = None) -> str:
        """An inline image of the given height (or width) in millimetres, aspect kept."""
        self.images[name] = data
        w, h = _image_size(data)
        px = 96 / 25.4  # image sizes are CSS pixels (1/96 in), unlike the other lengths Qt applies
        if width_mm is not None:
            width, height = width_mm * px, width_mm * px * h / max(w, 1)
        else:
            width, height = height_mm * px * w / max(h, 1), height_mm * px
        return f'<img src="{name}" width="{width:.0f}" height="{height:.0f}">'

    def table_open(self, widths: list[int] | None = None, border: bool = True) -> None:
        b = 'border="1" ' if border else 'border="0" '
        style = self._style("border-collapse: collapse; border-color: #000000; border-style: solid;")
        self.out.append(f'<table width="100%" {b}cellspacing="0" cellpadding="{CELL_PAD}" style="{style}">')

    # ---- blocks ------------------------------------------------------------------------------------------

    def heading(self, block: Mapping[str, Any]) -> None:
        name_style = self._style(f"font-size: {NAME_PT}pt; margin-bottom: {self.pt(4)}px;")
        title_style = f"font-size: {TITLE_PT}pt; font-weight: bold; margin-bottom: {self.pt(6)}px;"
        self.out.append(f'<p align="center" style="{name_style}">{_esc(self.inp.body_legal_name)}</p>')
        self.out.append(f'<p align="center" style="{title_style}">{_esc(self.inp.template.title)}</p>')
        self.out.append(
            f'<p align="right" style="font-size: {BODY_PT}pt; margin-bottom: {self.pt(8)}px;">'
            f"{_esc(self.builtins['number'])}</p>"
        )
        if self.inp.status == "voided":
            self.p(f"本文书已作废。作废原因：{self.inp.void_reason or ''}", indent=False, bold=True)

    def subheading(self, block: Mapping[str, Any]) -> None:
        self.p(self.text(block.get("text", "")), indent=False, align="center", size=SUB_PT, bold=True)

    def paragraph(self, block: Mapping[str, Any]) -> None:
        size = SMALL_PT if block.get("size") == "small" else BODY_PT
        for line in _lines(self.text(block.get("text", ""))):
            self.p(line, indent=block.get("indent", True), align=block.get("align", "justify"), size=size)

    def fields(self, block: Mapping[str, Any]) -> None:
        self.table_open()
        for row in block.get("rows", []):
            cells = []
            for key in row:
                spec = self.inp.template.by_key[key]
                value = self.value(key) or ("" if not self.draft or not spec.required else BLANK)
                cells.append((spec.label, value))
            html_row = "<tr>"
            if len(cells) == 1:
                label, value = cells[0]
                html_row += (
                    f'<td width="20%" valign="middle">{_esc(label)}</td>'
                    f'<td colspan="3">{_multiline(value)}</td>'
                )
            else:
                for label, value in cells:
                    html_row += (
                        f'<td width="20%" valign="middle">{_esc(label)}</td>'
                        f'<td width="30%">{_multiline(value)}</td>'
                    )
            self.out.append(html_row + "</tr>")
        self.out.append("</table>")
        self.out.append('<p style="margin: 0; font-size: 4pt;"> </p>')

    def text_field(self, block: Mapping[str, Any]) -> None:
        key = block["field"]
        raw = self.inp.values.get(key)
        if block.get("optional") and empty(raw):
            return
        if block.get("label"):
            self.p(self.text(block["label"]), indent=False)
        text = self.value(key) or (BLANK if self.draft else "")
        for line in _lines(text):
            self.p(line)

    def table(self, block: Mapping[str, Any]) -> None:
        key = block["field"]
        spec: FieldSpec = self.inp.template.by_key[key]
        rows = self.inp.values.get(key) or []
        if block.get("optional") and not rows:
            return
        if block.get("label"):
            self.p(self.text(block["label"]), indent=False)
        self.table_open()
        head = "".join(
            f'<th width="{c.width}%" align="center" style="font-weight: normal;">{_esc(c.label)}</th>'
            if c.width
            else f'<th align="center" style="font-weight: normal;">{_esc(c.label)}</th>'
            for c in spec.columns
        )
        self.out.append(f"<thead><tr>{head}</tr></thead>")
        if not rows:
            self.out.append(f'<tr><td colspan="{len(spec.columns)}" align="center">（无）</td></tr>')
        for row in rows:
            cells = "".join(f"<td>{_esc(str(row.get(c.key, '')))}</td>" for c in spec.columns)
            self.out.append(f"<tr>{cells}</tr>")
        self.out.append("</table>")

    def signatures(self, block: Mapping[str, Any]) -> None:
        for label, role in block.get("lines", []):
            images = self.inp.signatures.get(role, ())
            refusal = self.inp.refusals.get(role)
            if images:
                sign = " ".join(self.img(f"sig-{role}-{i}", data, 9) for i, data in enumerate(images))
            elif refusal:
                sign = _esc(f"（拒绝签名，原因：{refusal}）")
            else:
                sign = "＿＿＿＿＿＿＿＿＿＿＿＿"
            style = self._style(f"font-size: {BODY_PT}pt; margin-top: {self.pt(8)}px; margin-bottom: 0px;")
            self.out.append(f'<p style="{style}">{_esc(self.text(label))}：{sign}　　　　年　　月　　日</p>')

    def seal(self, block: Mapping[str, Any]) -> None:
        """Seal position: the body's seal name and the date, centred in the right half; the renderer draws the
        dashed seal circle over them and keeps the three lines on one page."""
        left = f"margin-left: {round(SEAL_LEFT_MM * self.mm)}px;"
        style = self._style(f"{left} margin-top: {self.pt(10)}px; font-size: {SMALL_PT}pt; color: #777777;")
        self.out.append(f'<p align="center" style="{style}">{SEAL_MARK}</p>')
        for text in (self.inp.seal_name, self.builtins["issue_date"]):
            self.out.append(
                f'<p align="center" style="{left} font-size: {BODY_PT}pt; margin-top: {self.pt(3)}px;">'
                f"{_esc(text)}</p>"
            )

    def receipt(self, block: Mapping[str, Any]) -> None:
        label = block.get("label", "当事人签收")
        self.out.append(f'<p style="margin-top: {self.pt(4)}px; font-size: 4pt;"> </p>')
        self.p(f"{label}：＿＿＿＿＿＿＿＿＿＿　　　　年　　月　　日", indent=False)

    def page_break(self, block: Mapping[str, Any]) -> None:
        self.break_next = True

    def spacer(self, block: Mapping[str, Any]) -> None:
        self.out.append(f'<p style="margin-top: {self.pt(float(block.get("pt", 12)))}px;"> </p>')

    def note(self, block: Mapping[str, Any]) -> None:
        self.p(self.text(block.get("text", "")), indent=False, size=SMALL_PT)

    def photos(self) -> None:
        if not self.inp.photos:
            return
        self.break_next = True
        self.p("附件：现场照片", indent=False, align="center", size=SUB_PT, bold=True)
        for i, (caption, data) in enumerate(self.inp.photos, start=1):
            self.out.append(f'<p align="center">{self.img(f"photo-{i}", data, 0, width_mm=90)}</p>')
            self.p(f"照片 {i}：{caption}", indent=False, align="center", size=SMALL_PT)


def _image_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG or JPEG from its header; (4, 3) when unknown."""
    import struct

    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return w, h
            i += 2 + length
    return 4, 3


def _multiline(text: str) -> str:
    return "<br>".join(_esc(line) for line in text.split("\n"))


def _condition(block: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    cond = block.get("if")
    if not cond:
        return True
    key, eq, want = cond.partition("=")
    have = values.get(key)
    return (str(have) == want) if eq else not empty(have)


def build_html(inp: RenderInput, px_per_mm: float) -> HtmlDoc:
    b = _Builder(inp, px_per_mm)
    for block in inp.template.layout:
        if not _condition(block, inp.values):
            continue
        kind = block["type"].replace("-", "_")
        getattr(b, kind)(block)
    b.photos()
    body = "\n".join(b.out)
    return HtmlDoc(f"<html><body>{body}</body></html>", b.images)
