"""The recorder: the headless process that keeps the record of the field.

It subscribes with a persistent session, validates every message, writes the database in batches
and idempotently, turns alerts, reports and faults into incidents, keeps the command outbox and
the acks, and announces changes. It acknowledges an event to the broker only after the commit
that records it.
"""
