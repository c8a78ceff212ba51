"""Alembic migrations of the linkgap schema, shipped inside the package."""
