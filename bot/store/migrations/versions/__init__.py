"""One module per schema revision; Alembic finds them by file, the package ships them."""
