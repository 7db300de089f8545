"""Alembic environment: the models' metadata, batch mode on SQLite."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import ohjaus_tui.db.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    # Run from the alembic command line: use the program's own settings.
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    from ohjaus_tui.db.engine import make_engine
    from ohjaus_tui.settings import Settings

    engine = make_engine(Settings().resolved_database_url)
    with engine.connect() as own_connection:
        _configure(own_connection)
        own_connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
