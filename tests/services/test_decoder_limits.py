"""The decoder's text limits are the columns' sizes (services/bus/limits.py mirrors the store).

The bus may not import the store, so the sizes are spelled twice; this keeps them equal.
"""

from __future__ import annotations

import pytest
from sqlalchemy import BigInteger, Integer

from services.bus import limits
from services.store import models


@pytest.mark.parametrize(
    ("limit", "column"),
    [
        (limits.DEVICE_ID, models.EquipmentRow.id),
        (limits.DEVICE_ID, models.EquipmentRow.gateway),
        (limits.DEVICE_ID, models.EquipmentRow.group_ref),
        (limits.DEVICE_ID, models.UnitRow.id),
        (limits.DEVICE_ID, models.CommandAckRow.responder),
        (limits.DEVICE_ID, models.GatewayRow.id),
        (limits.EQUIPMENT_STATUS, models.EquipmentRow.status),
        (limits.INCIDENT_CATEGORY, models.IncidentRow.category),
        (limits.SOURCE_REF, models.IncidentRow.source_ref),
        (limits.SEVERITY, models.IncidentRow.severity),
        (limits.UNIT_STATUS, models.UnitRow.status),
        (limits.REQUEST_ID, models.CommandRow.request_id),
        (limits.REQUEST_ID, models.CommandAckRow.request_id),
        (limits.ACK_STATUS, models.CommandAckRow.status),
        (limits.CONTENT_TYPE, models.IncidentMediaRow.content_type),
    ],
    ids=lambda v: v if isinstance(v, int) else str(v),
)
def test_each_limit_is_its_columns_size(limit, column):
    assert column.property.columns[0].type.length == limit


def test_the_integer_bounds_are_the_columns():
    assert isinstance(models.UnitRow.incident_id.property.columns[0].type, BigInteger)
    assert limits.BIGINT_MAX == 2**63 - 1
    succeeded = models.CommandAckRow.succeeded.property.columns[0].type
    assert type(succeeded) is Integer and limits.INTEGER_MAX == 2**31 - 1
