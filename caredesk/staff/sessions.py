"""Signed-in sessions kept in the database (Django's `db` session engine), each request's
session read with one plain SQL statement.

Every request reads its session row; the ORM builds and compiles that query anew each time.
This store reads the same row under the same rule (the key, not yet expired) with a fixed
statement; creating, saving and deleting sessions are Django's own."""

from functools import cache

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    @classmethod
    @cache
    def _load_sql(cls, database: str) -> str:
        quote = connections[database].ops.quote_name
        meta = cls.get_model_class()._meta
        columns = {f.name: quote(f.column) for f in meta.concrete_fields}
        return (
            f"SELECT {columns['session_data']} FROM {quote(meta.db_table)} "  # noqa: S608
            f"WHERE {columns['session_key']} = %s AND {columns['expire_date']} > %s"
        )

    def _get_session_from_db(self):
        model = self.model
        database = router.db_for_read(model)
        connection = connections[database]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(self._load_sql(database), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
