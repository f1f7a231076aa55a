"""The shared database: SQLAlchemy 2 models, Alembic migrations and repositories.

Repositories hand out domain dataclasses, never ORM objects. The same code runs on SQLite and
PostgreSQL; where a dialect needs its own statement, the switch says why.
"""
