import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Import every view and build the API's schemas now, not in the first request a worker
    serves (seconds of CPU: on a busy machine long enough for gunicorn to kill the worker).
    With `caredesk serve` (gunicorn --preload) this runs once, before the workers fork; no
    database connection is left open to be shared by them."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loads the URLconf and every app's urls and api)
    connections.close_all()


_warm()
