"""Persistence: SQLAlchemy models, Alembic migrations and the transactional loader."""
