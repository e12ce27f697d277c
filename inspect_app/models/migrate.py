"""Bring a store's schema to the newest alembic revision, with a backup of the file first.

Opening a store whose schema is already current must not pay for importing alembic (~0.25 s, every
command): the stored revision is read with one plain query and compared with ``HEAD_REVISION``, and alembic
is imported only when there is something to upgrade (or refuse). ``tests/test_store.py`` checks that
``HEAD_REVISION`` is the head of the migration scripts, so a new migration cannot forget to move it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from inspect_app.errors import StoreTooNew
from inspect_app.i18n import Msg

if TYPE_CHECKING:
    from alembic.config import Config

    from inspect_app.models.store import Store

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision in migrations/versions. Move it with every new migration (a test fails until you do).
HEAD_REVISION = "0011"
VERSION_TABLE = "alembic_version"


def alembic_config() -> Config:
    """Return an alembic configuration pointing at the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """Return the newest revision this version of the app knows, read from the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Return every revision this version of the app knows."""
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    """Return the schema revision recorded in the database, or None for an empty one.

    Reads alembic's version table with a plain query (what ``MigrationContext.get_current_revision`` does)
    so that no alembic import is needed to learn that nothing has to be done.
    """
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    rows = [str(r[0]) for r in conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))]
    if len(rows) > 1:  # several heads: never written by this app; let alembic judge
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(conn).get_current_revision()
    return rows[0] if rows else None


def ensure_schema(store: Store) -> str | None:
    """Upgrade the store to the head revision; return the backup path when one was made.

    A database from a newer app version is refused (``StoreTooNew``) and left untouched.
    """
    with store.engine.connect() as conn:
        current = current_revision(conn)
        conn.rollback()
    if current == HEAD_REVISION:
        return None
    from alembic import command

    from inspect_app.models.store import backup_sqlite, now_stamp

    head = head_revision()
    if current == head:
        return None
    if current is not None and current not in known_revisions():
        raise StoreTooNew(
            Msg("数据库由更新版本的程序创建（结构版本 {revision}），请升级本程序后再打开。", revision=current),
            details={"revision": current, "known_head": head},
        )
    backup: Path | None = None
    db_path = store.db_path
    if current is not None and db_path is not None and db_path.exists():
        backup = backup_sqlite(db_path, store.data_dir / "backups" / f"inspect-{now_stamp()}-{current}.db")
    config = alembic_config()
    with store.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return str(backup) if backup else None
