"""Who a command reaches: the devices of a target, and the gateways expected to answer for them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.domain.commands import GroupKind, GroupTarget, spec_for
from services.store.models import EquipmentRow


@dataclass(frozen=True)
class Membership:
    """The known members of a group command, by gateway; members with no gateway apart."""

    by_gateway: dict[str, tuple[str, ...]]
    without_gateway: tuple[str, ...]

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.by_gateway.values()) + len(self.without_gateway)

    @property
    def devices(self) -> list[str]:
        return [d for ds in self.by_gateway.values() for d in ds] + list(self.without_gateway)

    @property
    def gateways(self) -> frozenset[str]:
        return frozenset(self.by_gateway)


def group_members(session: Session, group: GroupTarget, command: str) -> Membership:
    """The devices a group command applies to (only the types the command acts on)."""
    types = [t.value for t in spec_for(command).applies_to]
    query = select(EquipmentRow.id, EquipmentRow.gateway).where(EquipmentRow.type.in_(types))
    if group.kind is GroupKind.COMMUNE:
        query = query.where(EquipmentRow.commune == group.value)
    elif group.kind is GroupKind.ALL_OF_TYPE:
        query = query.where(EquipmentRow.type == group.value)
    else:
        query = query.where(EquipmentRow.group_ref == group.value)
    by_gateway: dict[str, list[str]] = defaultdict(list)
    loose: list[str] = []
    for device, gateway in session.execute(query.order_by(EquipmentRow.id)):
        (by_gateway[gateway] if gateway else loose).append(device)
    return Membership({g: tuple(d) for g, d in by_gateway.items()}, tuple(loose))
