"""The Energy panel's table: one row per commune, its window's kWh against full power.

Rows are ``CommuneEnergy`` values keyed by INSEE code and changed in place (``KeyedTableModel``);
the commune is shown by its name, never its code. The sort role gives raw numbers, so that
"1 234" sorts after "987"; the row role gives the value itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QModelIndex, QPersistentModelIndex, Qt

from widgets.energy.figures import CommuneEnergy
from widgets.tables import KeyedTableModel

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    COMMUNE = 0
    KWH = 1
    BASELINE = 2
    SAVING = 3
    SHARE = 4
    POLICY = 5


def number_text(value: float, decimals: int = 0) -> str:
    """A number as the operator's locale writes it (``12 345``, ``0,21``); never ``-0``."""
    return QLocale().toString(round(float(value), decimals) + 0.0, "f", decimals)


def kwh_text(value: float) -> str:
    """A quantity of kWh in whole numbers."""
    return number_text(value)


def share_text(share: float) -> str:
    """A share as a whole percentage: ``47%``, ``47 %`` in French."""
    percent = QCoreApplication.translate("energy", "%1%")
    return percent.replace("%1", number_text(share * 100))


class CommuneEnergyModel(KeyedTableModel[CommuneEnergy]):
    def __init__(self, commune_names: Mapping[str, str], parent: Any = None) -> None:
        super().__init__(lambda row: row.commune, parent)
        self._names = dict(commune_names)
        self.set_headers(
            {
                Column.COMMUNE: self.tr("Commune"),
                Column.KWH: self.tr("Used (kWh)"),
                Column.BASELINE: self.tr("At full power (kWh)"),
                Column.SAVING: self.tr("Saved (kWh)"),
                Column.SHARE: self.tr("Saved"),
                Column.POLICY: self.tr("Policy as written"),
            }
        )

    def name(self, insee: str) -> str:
        return self._names.get(insee, insee)

    def replace(self, rows: Iterable[CommuneEnergy]) -> None:
        self.keep_only(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return self._raw(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != Column.COMMUNE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.POLICY:
            return self.tr("The saving the city's policy would make over one night, as written")
        return None

    def _raw(self, row: CommuneEnergy, column: Column) -> Any:
        if column == Column.COMMUNE:
            return self.name(row.commune).casefold()
        return {
            Column.KWH: row.kwh,
            Column.BASELINE: row.baseline_kwh,
            Column.SAVING: row.saving_kwh,
            Column.SHARE: row.saving_share,
            Column.POLICY: -1.0 if row.policy_share is None else row.policy_share,
        }[column]

    def _display(self, row: CommuneEnergy, column: Column) -> str:
        if column == Column.COMMUNE:
            return self.name(row.commune)
        if column == Column.POLICY:
            return "—" if row.policy_share is None else share_text(row.policy_share)
        if row.nights == 0:
            return "—"  # nothing recorded in the window: not a zero
        if column == Column.KWH:
            return kwh_text(row.kwh)
        if column == Column.BASELINE:
            return kwh_text(row.baseline_kwh)
        if column == Column.SAVING:
            return kwh_text(row.saving_kwh)
        return share_text(row.saving_share)
