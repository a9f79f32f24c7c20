"""`RowsModel`: display tuples with a key and a tooltip per row (the capped lists of the sync area), on the
shared `ColumnsModel`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from ui.widgets.table_model import Column, ColumnsModel


@dataclass(frozen=True)
class _Row:
    values: tuple[Any, ...]
    key: Any
    tip: str

    def __getitem__(self, column: int) -> Any:  # `model.rows[i][j]` reads a cell, as with plain tuples
        return self.values[column]


class RowsModel(ColumnsModel):
    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(
            [Column(h, itemgetter(i)) for i, h in enumerate(headers)], parent,
            key=lambda r: r.key, tooltip=lambda r, _c: r.tip or None,
        )
        self.headers = list(headers)

    def set_rows(
        self,
        rows: Sequence[tuple[Any, ...]],
        keys: Sequence[Any] | None = None,
        tooltips: Sequence[str] | None = None,
    ) -> None:
        keys = list(keys) if keys is not None else list(range(len(rows)))
        tips = list(tooltips) if tooltips is not None else [""] * len(rows)
        super().set_rows([_Row(tuple(r), k, t) for r, k, t in zip(rows, keys, tips, strict=True)])

    @property
    def keys(self) -> list[Any]:
        return [r.key for r in self.rows]

    def key(self, row: int) -> Any:
        obj = self.row_object(row)
        return obj.key if obj is not None else None
