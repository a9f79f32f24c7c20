"""Document templates as data: `resources/templates/<doc_type>.json`, loaded, validated and cached.

A template names its fields (what is filled from which record, what a clerk may edit) and its layout (the blocks
the renderer draws). Templates are versioned; an issued document records the version it was made with, and the
loader keeps every version it finds (`<doc_type>.json` is the current one, `<doc_type>.v<N>.json` older ones).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt
from pydantic import ValidationError as PydanticValidationError

from app.errors import ValidationError
from app.resources import resource_dir
from app.rules.numbering import DOC_TYPES

FIELD_KINDS = frozenset({"text", "multiline", "date", "datetime", "money", "choice", "table"})
BLOCK_TYPES = frozenset(
    {
        "heading",
        "subheading",
        "paragraph",
        "fields",
        "text_field",
        "table",
        "signatures",
        "seal",
        "receipt",
        "note",
        "page_break",
        "spacer",
    }
)
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
#: placeholders every template may use besides its own field keys
BUILTIN_PLACEHOLDERS = frozenset(
    {"body.legal_name", "body.seal_name", "number", "title", "doc_title", "issue_date"}
)


class TemplateError(ValidationError):
    """A template file is missing or malformed."""

    default_code = "bad_template"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 0  # relative width (percent); 0: share the rest


@dataclass(frozen=True)
class FieldSpec:
    """One field: `source` says where it is filled from ("party.name", "officers", …; "" = typed by hand);
    `editable` fields are free text a clerk may change on a draft. `required` fields refuse 签发 when empty,
    `recommended` ones ask the clerk to confirm."""

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    recommended: bool = False  # a "should have" field: empty at 签发 is a warning the clerk confirms
    source: str = ""
    editable: bool = False
    choices: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    default: Any = None
    hint: str = ""


@dataclass(frozen=True)
class Template:
    doc_type: str
    version: int
    title: str
    paper: str
    fields: tuple[FieldSpec, ...]
    layout: tuple[Mapping[str, Any], ...]
    record: bool = False  # a record (笔录): party signature line on every page
    footer: str = ""  # per-page footer text (records: "当事人签名：…")
    copies_note: str = ""
    by_key: Mapping[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def field(self, key: str) -> FieldSpec:
        try:
            return self.by_key[key]
        except KeyError:
            raise TemplateError(f"文书模板「{self.title}」没有字段「{key}」", code="unknown_field") from None

    @property
    def editable_keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields if f.editable)


def templates_dir() -> Path:
    return resource_dir("templates")


class TemplateSpec(BaseModel):
    """A template file's shape, checked by pydantic (keys present, types right, fields and columns complete);
    `problems` checks what a shape cannot say (known kinds and blocks, unique keys, placeholders that name
    fields, a heading)."""

    model_config = ConfigDict(frozen=True)

    doc_type: str
    version: StrictInt = Field(ge=1)
    title: str
    paper: str
    fields: tuple[FieldSpec, ...]
    layout: tuple[dict[str, Any], ...]
    record: bool = False
    footer: str = ""
    copies_note: str = ""

    def problems(self) -> list[str]:
        """What makes this template unusable, in Chinese; empty when it is usable."""
        problems: list[str] = []
        if self.doc_type not in DOC_TYPES:
            problems.append(f"未知的文书类型「{self.doc_type}」")
        if self.paper != "A4":
            problems.append("纸张必须是 A4")
        keys: set[str] = set()
        for i, f in enumerate(self.fields):
            where = f"字段 {i + 1}（{f.key}）"
            if not re.fullmatch(r"[a-z][a-z0-9_]*", f.key):
                problems.append(f"{where}：key 必须是小写英文标识")
                continue
            if f.key in keys:
                problems.append(f"{where}：key 重复")
            keys.add(f.key)
            problems.extend(f"{where}：{p}" for p in _field_problems(f))
        known = keys | BUILTIN_PLACEHOLDERS
        for i, block in enumerate(self.layout):
            problems.extend(f"版式块 {i + 1}：{p}" for p in _block_problems(block, keys, known))
        if not any(b.get("type") == "heading" for b in self.layout):
            problems.append("版式缺少 heading（执法主体名称、标题和文号）")
        return problems

    def template(self) -> Template:
        return Template(
            doc_type=self.doc_type, version=self.version, title=self.title, paper=self.paper, fields=self.fields,
            layout=self.layout, record=self.record, footer=self.footer, copies_note=self.copies_note,
            by_key={f.key: f for f in self.fields},
        )


def _field_problems(f: FieldSpec) -> list[str]:
    problems: list[str] = []
    if not f.label:
        problems.append("缺少 label")
    if f.kind not in FIELD_KINDS:
        problems.append(f"kind「{f.kind}」无效")
    if f.kind == "choice" and not f.choices:
        problems.append("choice 字段必须列出 choices")
    if f.kind == "table" and not f.columns:
        problems.append("table 字段必须列出 columns")
    if not f.source and not f.editable and f.default is None:
        problems.append("既无来源也不可编辑，永远无法填写")
    return problems


def _block_problems(block: Mapping[str, Any], keys: set[str], known: set[str] | frozenset[str]) -> list[str]:
    kind = block.get("type")
    if kind not in BLOCK_TYPES:
        return [f"type「{kind}」无效"]
    problems = [f"占位符「{{{name}}}」不是字段"
                for text in _block_texts(block) for name in PLACEHOLDER.findall(text) if name not in known]
    problems.extend(f"引用了不存在的字段「{name}」" for name in _block_fields(block) if name not in keys)
    return problems


def _shape_problems(exc: PydanticValidationError) -> list[str]:
    """pydantic's complaints about a template's shape, in Chinese."""
    out: list[str] = []
    for err in exc.errors():
        loc = err["loc"]
        if loc == ("version",):
            out.append("version 必须是正整数")
        elif err["type"] == "missing" and len(loc) == 1:
            out.append(f"缺少「{loc[0]}」")
        elif len(loc) >= 3 and loc[0] == "fields" and isinstance(loc[1], int):
            where = f"字段 {loc[1] + 1}"
            out.append(f"{where}：缺少 {loc[-1]}" if err["type"] == "missing"
                       else f"{where}：{'.'.join(map(str, loc[2:]))} 无效（{err['msg']}）")
        else:
            out.append(f"模板结构无效：{'.'.join(map(str, loc))}：{err['msg']}")
    return out


def _block_texts(block: Mapping[str, Any]) -> list[str]:
    texts = [block[k] for k in ("text", "label") if isinstance(block.get(k), str)]
    for row in block.get("lines", []) or []:
        texts.append(str(row[0]))
    return texts


def _block_fields(block: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    if isinstance(block.get("field"), str):
        names.append(block["field"])
    for row in block.get("rows", []) or []:
        names.extend(row)
    if isinstance(block.get("if"), str):
        names.append(block["if"].partition("=")[0])
    return names


def displayed_keys(template: Template) -> frozenset[str]:
    """Field keys the layout prints (placeholders, grid rows, text fields and tables; not `if` conditions)."""
    keys: set[str] = set()
    for block in template.layout:
        for text in _block_texts(block):
            keys.update(PLACEHOLDER.findall(text))
        keys.update(row_key for row in block.get("rows", []) or [] for row_key in row)
        if isinstance(block.get("field"), str):
            keys.add(block["field"])
    return frozenset(keys & set(template.by_key))


def _spec(data: Mapping[str, Any]) -> TemplateSpec | list[str]:
    """The template's spec, or its problems in Chinese when it is unusable."""
    try:
        spec = TemplateSpec.model_validate(data)
    except PydanticValidationError as exc:
        return _shape_problems(exc)
    try:
        problems = spec.problems()
    except (TypeError, AttributeError, IndexError) as exc:  # a layout block's contents of the wrong type
        return [f"模板结构无效：{exc}"]
    return problems or spec


def validate_template(data: Mapping[str, Any]) -> list[str]:
    """Problems of a template's data, in Chinese; an empty list means it is usable."""
    spec = _spec(data)
    return spec if isinstance(spec, list) else []


def parse_template(data: Mapping[str, Any], *, origin: str = "") -> Template:
    spec = _spec(data)
    if isinstance(spec, list):
        raise TemplateError(f"文书模板 {origin or data.get('doc_type')} 无效：" + "；".join(spec))
    return spec.template()


def _read(path: Path) -> Template:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TemplateError(f"无法读取文书模板 {path.name}：{exc}") from exc
    return parse_template(data, origin=path.name)


@cache
def _all_versions(directory: str) -> dict[str, dict[int, Template]]:
    found: dict[str, dict[int, Template]] = {}
    for path in sorted(Path(directory).glob("*.json")):
        template = _read(path)
        found.setdefault(template.doc_type, {})[template.version] = template
    return found


def load_template(doc_type: str, version: int | None = None, *, directory: Path | None = None) -> Template:
    """The template for `doc_type` (the newest, or exactly `version`); `TemplateError` when there is none."""
    versions = _all_versions(str(directory or templates_dir())).get(doc_type)
    if not versions:
        raise TemplateError(
            f"没有「{DOC_TYPES[doc_type].name if doc_type in DOC_TYPES else doc_type}」的文书模板"
        )
    if version is None:
        return versions[max(versions)]
    if version not in versions:
        raise TemplateError(f"文书模板「{doc_type}」没有第 {version} 版")
    return versions[version]


def available_doc_types(*, directory: Path | None = None) -> list[str]:
    """Document types that have a template, in the order of `DOC_TYPES`."""
    have = _all_versions(str(directory or templates_dir()))
    return [key for key in DOC_TYPES if key in have]


def placeholders(text: str) -> Sequence[str]:
    return PLACEHOLDER.findall(text)


