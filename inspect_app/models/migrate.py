"""Bring a store's schema to the newest alembic revision, with a backup of the file first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from inspect_app.errors import StoreTooNew
from inspect_app.i18n import Msg

if TYPE_CHECKING:
    from inspect_app.models.store import Store

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """Return an alembic configuration pointing at the packaged migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """Return the newest revision this version of the app knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Return every revision this version of the app knows."""
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    """Return the schema revision recorded in the database, or None for an empty one."""
    return MigrationContext.configure(conn).get_current_revision()


def ensure_schema(store: Store) -> str | None:
    """Upgrade the store to the head revision; return the backup path when one was made.

    A database from a newer app version is refused (``StoreTooNew``) and left untouched.
    """
    from inspect_app.models.store import backup_sqlite, now_stamp

    with store.engine.connect() as conn:
        current = current_revision(conn)
        conn.rollback()
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
