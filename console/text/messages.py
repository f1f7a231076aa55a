"""Sentences for the message keys that services and the domain raise, in the operator's language.

The services never write prose: they raise ``VigieError(key, **params)``. This table gives each
key its English sentence, marked for translation; ``describe()`` returns it translated and filled.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from console.text.i18n import fill, translate
from services.domain.errors import VigieError
from widgets.labels import CONTEXT as LABELS
from widgets.labels import ROLE

CONTEXT = "messages"

MESSAGES: dict[str, str] = {
    "error": QT_TRANSLATE_NOOP("messages", "something went wrong"),
    "invalid_input": QT_TRANSLATE_NOOP("messages", "invalid value"),
    "conflict": QT_TRANSLATE_NOOP("messages", "this collides with what is already recorded"),
    "not_found": QT_TRANSLATE_NOOP("messages", "not found"),
    "permission_denied": QT_TRANSLATE_NOOP("messages", "not allowed"),
    "config.unreadable": QT_TRANSLATE_NOOP(
        "messages", "cannot read the configuration file {path}: {reason}"
    ),
    "config.unknown_key": QT_TRANSLATE_NOOP(
        "messages", "{path}: unknown setting '{key}' (known settings: {known})"
    ),
    "config.not_text": QT_TRANSLATE_NOOP(
        "messages", "{path}: setting '{key}' must be a non-empty text value"
    ),
    "config.not_minutes": QT_TRANSLATE_NOOP(
        "messages", "setting '{key}' must be a whole number of minutes above 0, not '{value}'"
    ),
    "config.not_count": QT_TRANSLATE_NOOP(
        "messages", "setting '{key}' must be a whole number, 0 or more, not '{value}'"
    ),
    "config.bad_timezone": QT_TRANSLATE_NOOP(
        "messages",
        "setting '{key}': '{value}' is not a time zone (an IANA name such as Europe/Paris)",
    ),
    "config.unknown_commune": QT_TRANSLATE_NOOP(
        "messages", "setting '{key}': '{value}' is not the INSEE code of a commune of the métropole"
    ),
    "config.password_file_open": QT_TRANSLATE_NOOP(
        "messages",
        "{path}: others may read this password file (mode {mode}): make it 600 with "
        "'chmod 600 {path}'",
    ),
    "config.password_file_unreadable": QT_TRANSLATE_NOOP(
        "messages", "cannot read the password file {path}: {reason}"
    ),
    "config.password_file_empty": QT_TRANSLATE_NOOP(
        "messages", "{path}: the password file's first line is empty"
    ),
    "config.broker_password_twice": QT_TRANSLATE_NOOP(
        "messages",
        "the broker URL {url} carries a password and a password file is given too: keep one",
    ),
    "authority.bad_prefix": QT_TRANSLATE_NOOP(
        "messages",
        "'{value}' cannot prefix role names: a lower-case letter, then letters, digits or _, "
        "16 at most",
    ),
    "authority.prefix_changed": QT_TRANSLATE_NOOP(
        "messages",
        "this database's group roles are prefixed {kept}, not {asked}: the prefix is kept from "
        "the first upgrade",
    ),
    "authority.install_refused": QT_TRANSLATE_NOOP(
        "messages",
        "refused: only a superuser, or the database's owner with CREATEROLE, installs the "
        "roles and grants ({reason}); the schema is upgraded, the authority is not",
    ),
    "db.unreachable": QT_TRANSLATE_NOOP(
        "messages", "cannot reach the database {url}: {reason}; nothing was recorded"
    ),
    "db.schema_missing": QT_TRANSLATE_NOOP(
        "messages", "the database {url} has no Vigie tables yet: run 'vigie db upgrade' first"
    ),
    "db.schema_outdated": QT_TRANSLATE_NOOP(
        "messages",
        "the database schema is at revision {current}, this Vigie needs {head}: "
        "run 'vigie db upgrade'",
    ),
    "operator.unknown": QT_TRANSLATE_NOOP(
        "messages",
        "operator '{name}' does not exist: choose another with --operator or VIGIE_OPERATOR, "
        "or ask an administrator to run 'vigie operator add {name} --role ROLE'",
    ),
    "operator.exists": QT_TRANSLATE_NOOP("messages", "operator '{name}' already exists"),
    "operator.bad_name": QT_TRANSLATE_NOOP(
        "messages",
        "'{name}' cannot be an operator's name: use letters, digits and . _ - @, "
        "starting with a letter or digit, at most 64 characters",
    ),
    "operator.system_name_reserved": QT_TRANSLATE_NOOP(
        "messages", "'{name}': names beginning with 'system:' are reserved for Vigie itself"
    ),
    "operator.bad_role": QT_TRANSLATE_NOOP("messages", "unknown role '{value}' (roles: {known})"),
    "operator.not_yourself": QT_TRANSLATE_NOOP(
        "messages", "'{name}': an admin cannot disable or re-role themselves; ask another admin"
    ),
    "auth.refused": QT_TRANSLATE_NOOP(
        "messages", "refused: name or password not accepted for '{operator}'"
    ),
    "auth.password_too_short": QT_TRANSLATE_NOOP(
        "messages", "a password has at least {minimum} characters"
    ),
    "journal.empty": QT_TRANSLATE_NOOP("messages", "a logbook entry cannot be empty"),
    "journal.too_long": QT_TRANSLATE_NOOP(
        "messages", "a logbook entry is at most {maximum} characters"
    ),
    "audit.bad_anchor": QT_TRANSLATE_NOOP(
        "messages", "'{value}' is not an anchor: expected SEQ:HASH, as 'vigie audit head' prints"
    ),
    "audit.missing": QT_TRANSLATE_NOOP(
        "messages", "audit journal broken: entry {seq} is missing (deleted or renumbered)"
    ),
    "audit.broken_link": QT_TRANSLATE_NOOP(
        "messages",
        "audit journal broken at entry {seq}: it does not follow the entry before it "
        "(inserted, deleted or reordered)",
    ),
    "audit.changed": QT_TRANSLATE_NOOP(
        "messages", "audit journal broken at entry {seq}: its content was changed"
    ),
    "audit.tail_cut": QT_TRANSLATE_NOOP(
        "messages", "audit journal broken: it ends before entry {seq}, its tail was cut"
    ),
    "audit.anchor_mismatch": QT_TRANSLATE_NOOP(
        "messages",
        "audit journal broken at entry {seq}: it differs from the anchor (the tail was rewritten)",
    ),
    "incident.transition_not_allowed": QT_TRANSLATE_NOOP(
        "messages", "an incident cannot go from {from_status} to {to_status}"
    ),
    "incident.stale_version": QT_TRANSLATE_NOOP(
        "messages",
        "incident {incident_id} was changed by {changed_by} since you opened it "
        "(version {current_version}); your change was not applied",
    ),
    "incident.unknown": QT_TRANSLATE_NOOP("messages", "incident {id} does not exist"),
    "incident.category_required": QT_TRANSLATE_NOOP("messages", "an incident needs a category"),
    "incident.priority_reason_required": QT_TRANSLATE_NOOP(
        "messages", "overriding a priority needs a reason"
    ),
    "incident.priority_of_closed": QT_TRANSLATE_NOOP(
        "messages", "the priority of a {status} incident cannot change"
    ),
    "incident.duplicate_needs_target": QT_TRANSLATE_NOOP(
        "messages", "say which incident this one duplicates"
    ),
    "incident.duplicate_of_itself": QT_TRANSLATE_NOOP(
        "messages", "an incident cannot duplicate itself"
    ),
    "incident.duplicate_target_without_merge": QT_TRANSLATE_NOOP(
        "messages", "only a merge names the incident it duplicates"
    ),
    "incident.note_empty": QT_TRANSLATE_NOOP("messages", "a note cannot be empty"),
    "command.bad_identifier": QT_TRANSLATE_NOOP(
        "messages", "'{value}' is not a valid identifier (letters, digits and : . _ -)"
    ),
    "command.bad_commune": QT_TRANSLATE_NOOP("messages", "'{value}' is not an INSEE commune code"),
    "command.unknown_type": QT_TRANSLATE_NOOP("messages", "unknown equipment type '{value}'"),
    "command.unknown": QT_TRANSLATE_NOOP(
        "messages", "unknown command '{value}' (commands: {known})"
    ),
    "command.param_type": QT_TRANSLATE_NOOP("messages", "parameter {name} must be {expected}"),
    "command.param_choice": QT_TRANSLATE_NOOP(
        "messages", "parameter {name} must be one of: {choices}"
    ),
    "command.param_range": QT_TRANSLATE_NOOP(
        "messages", "parameter {name} must lie between {minimum} and {maximum}"
    ),
    "command.until_not_override": QT_TRANSLATE_NOOP(
        "messages", "'{command}' is not an override and takes no 'until'"
    ),
    "command.unknown_param": QT_TRANSLATE_NOOP("messages", "'{command}' takes no parameter {name}"),
    "command.missing_param": QT_TRANSLATE_NOOP("messages", "missing parameter(s): {names}"),
    "command.bad_key_value": QT_TRANSLATE_NOOP("messages", "'{value}' is not key=value"),
    "command.bad_until": QT_TRANSLATE_NOOP(
        "messages", "'{value}' is not a time: give ISO 8601 or a duration such as +2h"
    ),
    "command.until_past": QT_TRANSLATE_NOOP("messages", "'until' {value} is already past"),
    "command.not_for_type": QT_TRANSLATE_NOOP(
        "messages", "'{command}' does not apply to {type} (it applies to: {types})"
    ),
    "bus.unreachable": QT_TRANSLATE_NOOP(
        "messages", "cannot reach the broker {url}; nothing was sent"
    ),
    "bus.login_refused": QT_TRANSLATE_NOOP(
        "messages",
        "refused: the broker {url} turned {identity} away: bad username or password "
        "({reason}); nothing was recorded",
    ),
    "bus.bad_broker_url": QT_TRANSLATE_NOOP(
        "messages", "'{url}' is not a broker URL: expected mqtt://host:port or mqtts://…"
    ),
    "recorder.broker_connected": QT_TRANSLATE_NOOP("messages", "connected to the broker {url}"),
    "recorder.broker_lost": QT_TRANSLATE_NOOP(
        "messages", "lost the broker {url} ({reason}); reconnecting, nothing is lost"
    ),
    "recorder.database_lost": QT_TRANSLATE_NOOP(
        "messages", "cannot write the database ({reason}); holding messages and retrying"
    ),
    "recorder.record_failed": QT_TRANSLATE_NOOP(
        "messages", "a message on {topic} could not be recorded ({reason}): quarantined"
    ),
    "recorder.cold_start_short": QT_TRANSLATE_NOOP(
        "messages",
        "the broker delivered {received} retained states at start-up but the database knows "
        "{known} devices: check its max_queued_messages (see the README)",
    ),
    "demo.broker_started": QT_TRANSLATE_NOOP("messages", "embedded broker started on {url}"),
    "demo.stopped_part": QT_TRANSLATE_NOOP("messages", "{part} stopped"),
    "dispatch.no_location": QT_TRANSLATE_NOOP(
        "messages", "incident {id} has no location: a unit cannot be ranked or sent to it"
    ),
    "dispatch.unit_unknown": QT_TRANSLATE_NOOP(
        "messages", "unit {unit} is unknown: it has never sent a position or a status"
    ),
    "dispatch.unit_busy": QT_TRANSLATE_NOOP(
        "messages", "unit {unit} is busy with incident #{incident}: nothing was sent"
    ),
    "dispatch.unit_not_available": QT_TRANSLATE_NOOP(
        "messages", "unit {unit} is not available (its crew says: {status}): nothing was sent"
    ),
    "dispatch.retask_not_p1": QT_TRANSLATE_NOOP(
        "messages",
        "incident {id} is {priority}: only a P1 incident may take a unit off another incident",
    ),
    "photo.host_not_allowed": QT_TRANSLATE_NOOP(
        "messages", "photo at {url} not fetched: its host is not in the allowed list"
    ),
    "photo.not_an_image": QT_TRANSLATE_NOOP(
        "messages", "photo at {url} not shown: the server sent {kind}, not an image"
    ),
    "photo.unreachable": QT_TRANSLATE_NOOP("messages", "photo at {url} unreachable: {reason}"),
    "photo.too_large": QT_TRANSLATE_NOOP("messages", "photo at {url} not shown: over 2 MiB"),
    "recorder.writer_failed": QT_TRANSLATE_NOOP(
        "messages",
        "the recorder can no longer write ({reason}): stopping so that it is restarted; "
        "what was not recorded will be delivered again",
    ),
    "recorder.housekeeping_failed": QT_TRANSLATE_NOOP(
        "messages", "the recorder's {work} failed ({reason}); it will be tried again"
    ),
    "recorder.database_full": QT_TRANSLATE_NOOP(
        "messages",
        "the database has no room left ({reason}): recording what still fits, "
        "holding the rest until space is freed",
    ),
    "db.conflict": QT_TRANSLATE_NOOP(
        "messages", "another writer held the same rows in {url} ({reason}): try again"
    ),
    "db.full": QT_TRANSLATE_NOOP(
        "messages", "the database {url} has no room left: {reason}; nothing was recorded"
    ),
    "recorder.writer_died": QT_TRANSLATE_NOOP(
        "messages", "the recorder's writer process stopped unexpectedly (exit status {code})"
    ),
    "recorder.resent": QT_TRANSLATE_NOOP(
        "messages", "re-sent {count} unfinished command(s) from the outbox"
    ),
    "recorder.console_gone": QT_TRANSLATE_NOOP(
        "messages",
        "the console of workstation {workstation} is gone: closed its {count} camera view(s)",
    ),
    "call.category_required": QT_TRANSLATE_NOOP("messages", "choose what the call is about"),
    "call.description_required": QT_TRANSLATE_NOOP("messages", "describe what the caller says"),
    "call.place_required": QT_TRANSLATE_NOOP(
        "messages", "say where: an address, a commune or coordinates"
    ),
    "call.unknown_commune": QT_TRANSLATE_NOOP(
        "messages", "'{value}' is not a commune of the métropole"
    ),
    "call.half_coordinates": QT_TRANSLATE_NOOP(
        "messages", "give both latitude and longitude, or neither"
    ),
    "call.bad_coordinates": QT_TRANSLATE_NOOP(
        "messages", "coordinates must lie within ±90 latitude and ±180 longitude"
    ),
    "call.bad_phone": QT_TRANSLATE_NOOP("messages", "'{value}' is not a phone number"),
    "call.bad_email": QT_TRANSLATE_NOOP("messages", "'{value}' is not an e-mail address"),
    "mode.bad_snow_level": QT_TRANSLATE_NOOP(
        "messages", "'{value}' is not a snow level (0-3, watch, alert, intervention, crisis)"
    ),
    "mode.bad_traffic_mode": QT_TRANSLATE_NOOP(
        "messages", "'{value}' is not a traffic mode (normal, peak, event, incident, snow)"
    ),
    "mode.bad_kind": QT_TRANSLATE_NOOP("messages", "'{value}' is not snow or traffic"),
    "mode.switch_in_progress": QT_TRANSLATE_NOOP(
        "messages", "refused: {by} is already switching the {kind} to {target}"
    ),
    "mode.nothing_to_roll_back": QT_TRANSLATE_NOOP(
        "messages", "nothing to roll back: the {kind} has not been switched yet"
    ),
    "mode.no_playbook_entry": QT_TRANSLATE_NOOP(
        "messages", "{source} says nothing for {kind} {value}: add it to the playbook first"
    ),
    "mode.reason_required": QT_TRANSLATE_NOOP("messages", "a switch needs its reason"),
    "network.invalid": QT_TRANSLATE_NOOP("messages", "the winter-service network is not usable"),
    "network.unreadable": QT_TRANSLATE_NOOP(
        "messages", "cannot read the winter-service network {source}: {reason}"
    ),
    "network.not_json": QT_TRANSLATE_NOOP("messages", "{source} is not valid JSON: {reason}"),
    "network.no_features": QT_TRANSLATE_NOOP(
        "messages", "{source} is not a GeoJSON FeatureCollection"
    ),
    "network.bad_segment": QT_TRANSLATE_NOOP(
        "messages",
        "{source}: {where}: a segment is a LineString of valid coordinates with network "
        "principal or secondary and a positive target_minutes",
    ),
    "permission.database_refused": QT_TRANSLATE_NOOP(
        "messages", "refused by the database: {reason}; nothing was recorded"
    ),
    "permission.refused": QT_TRANSLATE_NOOP(
        "messages", "refused: {operator} ({role}) may not {act} (the permission matrix)"
    ),
    "permission.unknown_operator": QT_TRANSLATE_NOOP(
        "messages", "refused: '{operator}' is not an operator of this database"
    ),
    "permission.disabled": QT_TRANSLATE_NOOP(
        "messages", "refused: operator '{operator}' is disabled"
    ),
    "permission.not_an_act": QT_TRANSLATE_NOOP(
        "messages", "refused: '{action}' is recorded by Vigie itself, not by {operator}"
    ),
    "camera.no_purpose": QT_TRANSLATE_NOOP(
        "messages",
        "a camera is opened for a purpose: the incident it is opened from, or one of the "
        "city's purposes with a text",
    ),
    "camera.purpose_too_long": QT_TRANSLATE_NOOP(
        "messages", "a camera view's purpose is at most {maximum} characters"
    ),
    "camera.bad_minutes": QT_TRANSLATE_NOOP(
        "messages", "a camera view lasts 1 to {maximum} minutes, not {value}"
    ),
    "camera.bad_workstation": QT_TRANSLATE_NOOP(
        "messages", "'{value}' cannot name the workstation a camera view plays on"
    ),
    "camera.bad_because": QT_TRANSLATE_NOOP(
        "messages", "'{value}' is not why a camera view ends ({known})"
    ),
    "camera.unknown": QT_TRANSLATE_NOOP("messages", "{id} is not a camera of the record"),
    "camera.unknown_view": QT_TRANSLATE_NOOP("messages", "camera view {id} does not exist"),
    "camera.no_secret": QT_TRANSLATE_NOOP(
        "messages",
        "no stream secret for gateway {gateway} of {id}: an admin loads them with "
        "'vigie video secrets load FILE'",
    ),
    "camera.not_your_view": QT_TRANSLATE_NOOP(
        "messages", "refused: camera view {id} is not {operator}'s"
    ),
    "camera.view_over": QT_TRANSLATE_NOOP(
        "messages", "camera view {id} is over: open the camera again"
    ),
    "camera.view_closed_already": QT_TRANSLATE_NOOP(
        "messages", "camera view {id} is closed already"
    ),
    "camera.close_refused": QT_TRANSLATE_NOOP(
        "messages", "refused: {operator} may not close a camera view as {because}"
    ),
    "camera.database": QT_TRANSLATE_NOOP(
        "messages", "refused by the database: {reason}; nothing was recorded"
    ),
    "video.bad_secret": QT_TRANSLATE_NOOP(
        "messages",
        "{source}: {gateway}: a gateway is named with letters, digits and : . _ - and its "
        "stream secret is 1 to 64 bytes",
    ),
    "open311.key_name": QT_TRANSLATE_NOOP(
        "messages",
        "'{name}' cannot name an API key: lower-case letters, digits, '.', '_' or '-', at most 64",
    ),
    "open311.key_exists": QT_TRANSLATE_NOOP(
        "messages",
        "an API key named {name} exists already",
    ),
    "open311.key_unknown": QT_TRANSLATE_NOOP(
        "messages",
        "no API key is named {name}",
    ),
    "open311.key_missing": QT_TRANSLATE_NOOP(
        "messages",
        "an api_key is required to post a request",
    ),
    "open311.key_invalid": QT_TRANSLATE_NOOP(
        "messages",
        "this api_key is not valid (unknown or revoked)",
    ),
    "open311.attribute_unknown": QT_TRANSLATE_NOOP(
        "messages",
        "the service has no attribute '{code}'",
    ),
    "open311.attribute_required": QT_TRANSLATE_NOOP(
        "messages",
        "attribute '{code}' is required for this service",
    ),
    "open311.attribute_too_long": QT_TRANSLATE_NOOP(
        "messages",
        "attribute '{code}' is too long",
    ),
    "open311.attribute_value": QT_TRANSLATE_NOOP(
        "messages",
        "'{value}' is not a value of attribute '{code}'",
    ),
    "open311.attribute_single": QT_TRANSLATE_NOOP(
        "messages",
        "attribute '{code}' takes one value",
    ),
    "open311.attribute_form": QT_TRANSLATE_NOOP(
        "messages",
        "'{name}' is not an attribute: post attribute[code]=value",
    ),
    "open311.photo_not_image": QT_TRANSLATE_NOOP(
        "messages",
        "the photo is not a JPEG or PNG image",
    ),
    "open311.photo_too_big": QT_TRANSLATE_NOOP(
        "messages",
        "the photo is larger than {limit} bytes",
    ),
    "open311.upload_field": QT_TRANSLATE_NOOP(
        "messages",
        "only a photo named 'media' may be uploaded, not '{name}'",
    ),
    "open311.form_unreadable": QT_TRANSLATE_NOOP(
        "messages",
        "the request's form cannot be read: {reason}",
    ),
    "open311.service_code_missing": QT_TRANSLATE_NOOP(
        "messages",
        "service_code is required",
    ),
    "open311.service_unknown": QT_TRANSLATE_NOOP(
        "messages",
        "no service has the code '{code}'",
    ),
    "open311.location_missing": QT_TRANSLATE_NOOP(
        "messages",
        "a location is required: lat and long, or address_string",
    ),
    "open311.lat_long_pair": QT_TRANSLATE_NOOP(
        "messages",
        "lat and long go together: send both",
    ),
    "open311.lat_long_bad": QT_TRANSLATE_NOOP(
        "messages",
        "lat {lat} and long {long} are not a position in WGS84 degrees",
    ),
    "open311.too_long": QT_TRANSLATE_NOOP(
        "messages",
        "{field} is longer than {limit} characters",
    ),
    "open311.media_url_bad": QT_TRANSLATE_NOOP(
        "messages",
        "media_url must be an http or https URL",
    ),
    "open311.format_unknown": QT_TRANSLATE_NOOP(
        "messages",
        "'{format}' is not a format of this service: json or xml",
    ),
    "open311.unavailable": QT_TRANSLATE_NOOP(
        "messages",
        "the service cannot record or read requests now; nothing was recorded, try again later",
    ),
    "open311.rate_limited": QT_TRANSLATE_NOOP(
        "messages",
        "too many requests ({per_minute} a minute at most): try again in a moment",
    ),
    "open311.jurisdiction_unknown": QT_TRANSLATE_NOOP(
        "messages",
        "jurisdiction '{jurisdiction}' is not served here",
    ),
    "open311.failed": QT_TRANSLATE_NOOP(
        "messages", "the service failed to answer this request; try again later"
    ),
    "open311.no_such_resource": QT_TRANSLATE_NOOP(
        "messages",
        "no such resource in GeoReport v2",
    ),
    "open311.method_not_allowed": QT_TRANSLATE_NOOP(
        "messages",
        "this method is not allowed here",
    ),
    "open311.request_unknown": QT_TRANSLATE_NOOP(
        "messages",
        "no request has the id '{id}'",
    ),
    "open311.token_unknown": QT_TRANSLATE_NOOP(
        "messages",
        "no request has this token",
    ),
    "open311.status_unknown": QT_TRANSLATE_NOOP(
        "messages",
        "'{status}' is not a status: open or closed",
    ),
    "open311.date_bad": QT_TRANSLATE_NOOP(
        "messages",
        "{field} '{value}' is not a W3C date and time with its offset (2026-12-01T00:00:00Z)",
    ),
    "open311.dates_reversed": QT_TRANSLATE_NOOP(
        "messages",
        "end_date is before start_date",
    ),
    "open311.dates_too_far": QT_TRANSLATE_NOOP(
        "messages",
        "start_date and end_date may not span more than {days} days",
    ),
    "open311.page_bad": QT_TRANSLATE_NOOP(
        "messages",
        "{field} must be a whole number from 1, not '{value}'",
    ),
    "incident.note_not_a_request": QT_TRANSLATE_NOOP(
        "messages",
        "incident {id} did not come from a citizen's request: its notes stay internal",
    ),
    "incident.note_unknown": QT_TRANSLATE_NOOP(
        "messages",
        "note {id} does not exist",
    ),
    "snapshot.bad_file_name": QT_TRANSLATE_NOOP(
        "messages", "'{value}' cannot name a snapshot: a PNG's plain name in the snapshots folder"
    ),
    "snapshot.bad_sha256": QT_TRANSLATE_NOOP(
        "messages", "'{value}' is not a SHA-256 digest (64 lower-case hexadecimal digits)"
    ),
    "snapshot.bad_size": QT_TRANSLATE_NOOP(
        "messages", "a snapshot is 1 to {maximum} bytes, not {value}"
    ),
    "snapshot.recorded_already": QT_TRANSLATE_NOOP(
        "messages", "snapshot {file} is recorded already"
    ),
    "snapshot.bad_stream_url": QT_TRANSLATE_NOOP(
        "messages", "this is not a camera's stream address (http://HOST:PORT/cameras/ID/stream)"
    ),
    "snapshot.failed": QT_TRANSLATE_NOOP("messages", "no snapshot of {camera} was saved"),
    "snapshot.refused": QT_TRANSLATE_NOOP(
        "messages",
        "{camera} refused the snapshot ({status} {reason}): the view's token does not open it "
        "now; nothing was saved",
    ),
    "snapshot.unavailable": QT_TRANSLATE_NOOP(
        "messages", "{camera} gave no picture ({status} {reason}); nothing was saved"
    ),
    "snapshot.unreachable": QT_TRANSLATE_NOOP(
        "messages", "{camera} did not answer ({reason}); nothing was saved"
    ),
    "snapshot.not_a_picture": QT_TRANSLATE_NOOP(
        "messages", "{camera} did not send a JPEG picture Vigie takes; nothing was saved"
    ),
    "snapshot.not_saved": QT_TRANSLATE_NOOP(
        "messages", "the snapshot of {camera} could not be saved in {folder}: {reason}"
    ),
    "approval.rule.all_of_a_type": QT_TRANSLATE_NOOP(
        "messages", "a command to all devices of a type waits for a second operator's approval"
    ),
    "approval.rule.commune_dark": QT_TRANSLATE_NOOP(
        "messages",
        "switching off a whole commune's lights between sunset and sunrise waits for a second "
        "operator's approval",
    ),
    "approval.rule.many_devices": QT_TRANSLATE_NOOP(
        "messages", "a command to this many devices waits for a second operator's approval"
    ),
    "approval.rule.bollard": QT_TRANSLATE_NOOP(
        "messages", "lowering a bollard waits for a second operator's approval"
    ),
    "approval.rule.snow_level": QT_TRANSLATE_NOOP(
        "messages", "this snow level waits for a second operator's approval"
    ),
    "approval.rule.role_change": QT_TRANSLATE_NOOP(
        "messages", "changing an operator's role waits for a second operator's approval"
    ),
    "approval.rule.lighting": QT_TRANSLATE_NOOP(
        "messages",
        "a lighting policy pushed to the city's cabinets waits for a second operator's approval",
    ),
    "approval.reason_required": QT_TRANSLATE_NOOP(
        "messages", "a request for approval, and a refusal, need their reason"
    ),
    "approval.unknown": QT_TRANSLATE_NOOP("messages", "no request {id} awaits approval"),
    "approval.not_awaiting": QT_TRANSLATE_NOOP(
        "messages", "request {id} is no longer awaiting approval: it is {status}"
    ),
    "approval.expired": QT_TRANSLATE_NOOP(
        "messages", "request {id} ran out of time: nothing of it was sent"
    ),
    "approval.own_request": QT_TRANSLATE_NOOP(
        "messages", "refused: {operator} requested this act; another operator must approve it"
    ),
    "approval.bad_rules": QT_TRANSLATE_NOOP(
        "messages", "{source}: [approvals] {key} is not a rule Vigie knows or has a wrong value"
    ),
    "approval.role_change_kept": QT_TRANSLATE_NOOP(
        "messages",
        "{source}: [approvals] role_change stays true: an operator's role changes only with a "
        "second operator's approval",
    ),
    "permissions.invalid": QT_TRANSLATE_NOOP("messages", "{source}: not a valid permission matrix"),
    "permissions.unreadable": QT_TRANSLATE_NOOP(
        "messages", "the permission matrix {source} cannot be read: {reason}"
    ),
    "permissions.not_toml": QT_TRANSLATE_NOOP("messages", "{source} is not valid TOML: {reason}"),
    "permissions.no_acts": QT_TRANSLATE_NOOP("messages", "{source}: no [acts] table"),
    "permissions.unknown_act": QT_TRANSLATE_NOOP(
        "messages", "{source}: '{act}' is not an act Vigie knows"
    ),
    "permissions.missing_act": QT_TRANSLATE_NOOP(
        "messages", "{source}: act '{act}' is missing (list its roles, or none: [])"
    ),
    "permissions.not_a_list": QT_TRANSLATE_NOOP(
        "messages", "{source}: act '{act}' must list role names"
    ),
    "permissions.unknown_role": QT_TRANSLATE_NOOP(
        "messages", "{source}: act '{act}': '{role}' is not a Vigie role"
    ),
    "permissions.admin_operational": QT_TRANSLATE_NOOP(
        "messages",
        "{source}: act '{act}': the admin runs no operational act (only read_audit and "
        "manage_operators)",
    ),
    "permissions.manager_not_admin": QT_TRANSLATE_NOOP(
        "messages",
        "{source}: act 'manage_operators': only the admin manages operators, not '{role}'",
    ),
    "playbook.invalid": QT_TRANSLATE_NOOP("messages", "{source}: {where}: not a valid entry"),
    "playbook.unreadable": QT_TRANSLATE_NOOP(
        "messages", "cannot read the playbook {source}: {reason}"
    ),
    "playbook.not_toml": QT_TRANSLATE_NOOP("messages", "{source} is not valid TOML: {reason}"),
    "playbook.bad_snow": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: '{value}' is not a snow level (0 to 3)"
    ),
    "playbook.bad_traffic": QT_TRANSLATE_NOOP(
        "messages",
        "{source}: {where}: '{value}' is not a traffic mode (normal, peak, event, incident, snow)",
    ),
    "playbook.unknown_commune": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: '{value}' is not a commune of the métropole"
    ),
    "playbook.empty_group": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: a group needs intersections or communes"
    ),
    "playbook.no_plans": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: declare the plans the group's controllers know"
    ),
    "playbook.not_bool": QT_TRANSLATE_NOOP("messages", "{source}: {where}: true or false"),
    "playbook.unknown_layer": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: '{value}' is not a map layer"
    ),
    "playbook.unknown_perspective": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: '{value}' is not a perspective"
    ),
    "playbook.undeclared_group": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: group '{value}' is not declared under [groups]"
    ),
    "playbook.undeclared_plan": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: plan '{value}' is not one that group '{group}' declares"
    ),
    "playbook.lighting_target": QT_TRANSLATE_NOOP(
        "messages", '{source}: {where}: say either commune = "INSEE" or group = "id"'
    ),
    "playbook.lighting_what": QT_TRANSLATE_NOOP(
        "messages", '{source}: {where}: say power = "on" or "off", level = 0.0 to 1.0, or both'
    ),
    "playbook.bad_power": QT_TRANSLATE_NOOP("messages", '{source}: {where}: "on" or "off"'),
    "playbook.bad_level": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: a lighting level from 0.0 to 1.0"
    ),
    "playbook.unknown_command": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: '{value}' is not a command (known: {known})"
    ),
    "playbook.command_target": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: say type and id, or group"
    ),
    "playbook.not_for_type": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: '{command}' does not apply to {type}"
    ),
    "playbook.bad_params": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: parameters the command refuses: {value}"
    ),
    "playbook.bad_until": QT_TRANSLATE_NOOP(
        "messages", '{source}: {where}: a duration such as "+6h"'
    ),
    "playbook.unknown_priority": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: '{value}' is not a priority (P1 to P4)"
    ),
    "playbook.bad_minutes": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: a whole number of minutes"
    ),
    "playbook.not_table": QT_TRANSLATE_NOOP("messages", "{source}: {where}: a table is expected"),
    "playbook.not_list": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: a list of tables ([[…]]) is expected"
    ),
    "playbook.not_strings": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: a list of strings is expected"
    ),
    "playbook.unknown_key": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: '{value}' is not a playbook key"
    ),
    "lighting.invalid": QT_TRANSLATE_NOOP("messages", "{source}: {where}: not a valid entry"),
    "lighting.unreadable": QT_TRANSLATE_NOOP(
        "messages", "cannot read the lighting policy {source}: {reason}"
    ),
    "lighting.not_toml": QT_TRANSLATE_NOOP("messages", "{source} is not valid TOML: {reason}"),
    "lighting.unknown_key": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: '{value}' is not a lighting policy key"
    ),
    "lighting.not_positive": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: a number, zero or more, is expected"
    ),
    "lighting.unknown_class": QT_TRANSLATE_NOOP(
        "messages",
        "{source}: {where}: '{value}' is not a lighting class of EN 13201-2 (M1–M6, C0–C5, P1–P7)",
    ),
    "lighting.no_levels": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: give at least one class its level"
    ),
    "lighting.levels_order": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: {value} may not be brighter than {brighter}"
    ),
    "lighting.bad_level": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: a level from 0.0 to 1.0"
    ),
    "lighting.no_profiles": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: the policy has no profile"
    ),
    "lighting.unknown_profile": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: no profile is called '{value}'"
    ),
    "lighting.no_periods": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: a profile needs at least one period"
    ),
    "lighting.bad_moment": QT_TRANSLATE_NOOP(
        "messages",
        "{source}: {where}: '{value}' is not a moment such as dusk, dusk+3h or dawn-1h30",
    ),
    "lighting.class_without_level": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: class '{value}' has no level in [levels]"
    ),
    "lighting.mixed_series": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: one series of classes per profile, not {value}"
    ),
    "lighting.bad_boost": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: presence raises the lights by 0, 1 or 2 classes"
    ),
    "lighting.bad_boost_minutes": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: presence holds the boost from 1 to {limit} minutes"
    ),
    "lighting.assign_nothing": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: name the communes or the groups it assigns"
    ),
    "lighting.unknown_commune": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: {value} is not a commune of the métropole"
    ),
    "lighting.assigned_twice": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: {value} is already assigned a profile"
    ),
    "lighting.bad_snow_level": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: a snow level from 0 to 3, not {value}"
    ),
    "lighting.unknown_traffic_mode": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: '{value}' is not a traffic mode"
    ),
    "lighting.event_nowhere": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: name the communes or the groups of the event"
    ),
    "lighting.bad_time": QT_TRANSLATE_NOOP(
        "messages",
        "{source}: {where}: a date and time with its offset, e.g. 2026-12-31T17:00:00+01:00",
    ),
    "lighting.event_backwards": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: the event ends before it begins"
    ),
    "lighting.not_table": QT_TRANSLATE_NOOP("messages", "{source}: {where}: a table is expected"),
    "lighting.not_list": QT_TRANSLATE_NOOP("messages", "{source}: {where}: a list is expected"),
    "lighting.not_strings": QT_TRANSLATE_NOOP(
        "messages", "{source}: {where}: a list of texts is expected"
    ),
    "lighting.changed_since_request": QT_TRANSLATE_NOOP(
        "messages",
        "the lighting policy, or the groups it reaches, changed since this request was made: "
        "nothing was sent; apply the policy again to ask anew",
    ),
    "dimming.bad_profile": QT_TRANSLATE_NOOP("messages", "not a valid dimming profile: {detail}"),
    "opendata.unknown_dataset": QT_TRANSLATE_NOOP(
        "messages", "setting '{key}': no dataset is called '{value}' (known: {known})"
    ),
    "opendata.never_positions": QT_TRANSLATE_NOOP(
        "messages",
        "setting '{key}': '{value}' is never published: the positions and tracks of units "
        "would tell where the police and the crews are",
    ),
    "opendata.never_personal": QT_TRANSLATE_NOOP(
        "messages",
        "setting '{key}': '{value}' is never published: callers' and reporters' personal data "
        "stay in the record, for the task alone",
    ),
    "opendata.never_free_text": QT_TRANSLATE_NOOP(
        "messages",
        "setting '{key}': '{value}' is never published: what people wrote in their reports "
        "may name them or others",
    ),
    "opendata.never_photos": QT_TRANSLATE_NOOP(
        "messages",
        "setting '{key}': '{value}' is never published: photos show people, faces and plates",
    ),
    "opendata.never_operators": QT_TRANSLATE_NOOP(
        "messages",
        "setting '{key}': '{value}' is never published: operators' names and their journal "
        "are the room's, not the public's",
    ),
    "opendata.never_camera_views": QT_TRANSLATE_NOOP(
        "messages",
        "setting '{key}': '{value}' is never published: what cameras were looked at, by whom "
        "and why is accountability for the CNIL, not open data",
    ),
    "backfill.not_empty": QT_TRANSLATE_NOOP(
        "messages",
        "this database holds history already ({tables}): a backfill writes into an empty one "
        "only; nothing was written",
    ),
    "backfill.bad_days": QT_TRANSLATE_NOOP(
        "messages", "a backfill of {value} days: from 1 to {maximum}"
    ),
    "backfill.bad_scale": QT_TRANSLATE_NOOP(
        "messages", "no scale is called '{value}' (known: {known})"
    ),
    "backfill.bad_rate": QT_TRANSLATE_NOOP("messages", "{value} incidents a day: zero or more"),
    "backfill.end_in_future": QT_TRANSLATE_NOOP(
        "messages", "a history ending at {value} would end in the future"
    ),
    "lighting.reason_required": QT_TRANSLATE_NOOP(
        "messages", "applying a lighting policy needs its reason"
    ),
    "lighting.nothing_to_apply": QT_TRANSLATE_NOOP(
        "messages", "no street-light group is known yet: nothing to apply the policy to"
    ),
    # -- issue 22: shift handovers --
    "handover.remarks_too_long": QT_TRANSLATE_NOOP(
        "messages", "a handover's remarks are at most {maximum} characters"
    ),
    "handover.not_found": QT_TRANSLATE_NOOP("messages", "no handover {id}"),
    "handover.none": QT_TRANSLATE_NOOP("messages", "no handover yet"),
    "handover.own": QT_TRANSLATE_NOOP(
        "messages",
        "refused: {operator} handed over shift {id}; another operator, logged in as themselves, "
        "accepts it",
    ),
    "handover.already_accepted": QT_TRANSLATE_NOOP(
        "messages", "handover {id} was already accepted by {by}"
    ),
    # -- issue 22: reports and figures --
    "figures.unknown_dimension": QT_TRANSLATE_NOOP(
        "messages", "figures have no dimension {dimension} (known: {known})"
    ),
    # -- issue 22: the Statistics panel --
    # -- issue 23 A: shared recorders --
    "recorder.bad_share_group": QT_TRANSLATE_NOOP(
        "messages",
        "'{group}' is not a share group: 1 to 64 letters, digits, '_' or '-'",
    ),
    "recorder.share_needs_postgresql": QT_TRANSLATE_NOOP(
        "messages",
        "--share needs PostgreSQL: recorders sharing the flow write one database at once, "
        "and {url} is not PostgreSQL; nothing was started",
    ),
    "recorder.share_unsupported": QT_TRANSLATE_NOOP(
        "messages",
        "the broker {url} does not serve shared subscriptions ($share/{group}/...): a probe "
        "sent through one never came back; use a broker that does (Mosquitto, EMQX, HiveMQ, "
        "VerneMQ) or run without --share; nothing was started",
    ),
    "recorder.share_left": QT_TRANSLATE_NOOP(
        "messages",
        "left the share group {group}: the other members take the flow; recording what "
        "the broker still held for this recorder",
    ),
    "recorder.share_not_left": QT_TRANSLATE_NOOP(
        "messages",
        "could not leave the share group {group} (the broker is away or did not answer): "
        "its part of the flow waits in this recorder's session until it starts again "
        "with the same --id",
    ),
    # -- issue 23 B: partitioned history --
    # -- issue 23 C: ten times Dijon --
    # -- issue 23 D: the console at ten times --
}


# The acts of the permission matrix (services.domain.permissions.Act), as an operator says them.
ACTS = {
    "see_operations": QT_TRANSLATE_NOOP("acts", "see the incidents, equipment and modes"),
    "act_on_incidents": QT_TRANSLATE_NOOP("acts", "act on incidents"),
    "see_patrols": QT_TRANSLATE_NOOP("acts", "see police patrols' positions"),
    "see_vehicles": QT_TRANSLATE_NOOP("acts", "see road crews' and snow vehicles' positions"),
    "view_cameras": QT_TRANSLATE_NOOP("acts", "view live cameras"),
    "read_camera_journal": QT_TRANSLATE_NOOP("acts", "read who watched which camera"),
    "command_device": QT_TRANSLATE_NOOP("acts", "command a device"),
    "command_group": QT_TRANSLATE_NOOP("acts", "command a group of devices"),
    "switch_snow": QT_TRANSLATE_NOOP("acts", "switch the snow plan"),
    "switch_traffic": QT_TRANSLATE_NOOP("acts", "switch the traffic mode"),
    "write_logbook": QT_TRANSLATE_NOOP("acts", "write in the logbook"),
    "approve": QT_TRANSLATE_NOOP("acts", "approve another operator's high-impact act"),
    "read_audit": QT_TRANSLATE_NOOP("acts", "read the audit journal"),
    "manage_operators": QT_TRANSLATE_NOOP("acts", "manage operators and permissions"),
    "hand_over": QT_TRANSLATE_NOOP("acts", "hand a shift over"),
    "accept_handover": QT_TRANSLATE_NOOP("acts", "accept another operator's handover"),
    "run_reports": QT_TRANSLATE_NOOP("acts", "produce the daily report"),
    "see_statistics": QT_TRANSLATE_NOOP("acts", "see the statistics"),
}


def act_name(act: str) -> str:
    return translate("acts", ACTS[act]) if act in ACTS else act


def describe(error: VigieError) -> str:
    """The error as one sentence in the operator's language."""
    template = MESSAGES.get(error.key)
    if template is None:  # a key without a sentence yet: still say what it is
        return f"{error.key} {error.params}" if error.params else error.key
    params = dict(error.params)
    if error.key == "permission.refused":
        params["act"] = act_name(str(params.get("act", "")))
    if str(params.get("role")) in ROLE:  # a role in words, in the operator's language
        params["role"] = translate(LABELS, ROLE[str(params["role"])])
    return fill(translate(CONTEXT, template), params)
