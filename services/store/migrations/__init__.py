"""Alembic migrations of the Vigie schema (run by ``vigie db upgrade``)."""
