"""Alembic environment: runs migrations on the engine given by the caller or by the settings."""

from alembic import context

from config.settings import load_settings
from data.db import make_engine
from data.schema import Base

config = context.config


def run_migrations_online() -> None:
    """Migrate the connection passed in ``config.attributes`` or a new engine on the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("database_url") or load_settings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
