"""How long a text from the field may be: the size of the column that stores it.

PostgreSQL refuses a text longer than its ``VARCHAR(n)`` where SQLite stores it whole, so the
decoder refuses it first, with the field and the limit in the reason: both backends then decide
alike. The bus must not import the store (layers), so the sizes are spelled again here;
tests/services/test_decoder_limits.py compares them with services/store/models.py.
"""

from __future__ import annotations

#: Identifiers that travel in topics, and what refers to them: equipment.id, .gateway,
#: .group_ref (refStreetlightGroup), units.id, command_acks.responder.
DEVICE_ID = 128
#: equipment.status: a state's ``status``.
EQUIPMENT_STATUS = 40
#: incidents.category: an alert's ``category``.
INCIDENT_CATEGORY = 64
#: incidents.source_ref: an alert's ``id``.
SOURCE_REF = 256
#: incidents.severity: an alert's ``severity``.
SEVERITY = 16
#: units.status: a unit's ``status``.
UNIT_STATUS = 16
#: commands.request_id, command_acks.request_id: an ack's ``request_id``.
REQUEST_ID = 36
#: command_acks.status: an ack's ``status``.
ACK_STATUS = 16
#: incident_media.content_type: a report photo's ``contentType``.
CONTENT_TYPE = 32

#: units.incident_id is a BIGINT; command_acks.succeeded an INTEGER.
BIGINT_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1
