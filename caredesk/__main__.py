"""The `caredesk` command: Django's management commands under one name."""

import os
import sys


def main() -> None:
    """Run a management command; a configuration error (no SECRET_KEY in production, a bad
    DATABASE_URL, ...) is one line on stderr and exit status 2, not a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"caredesk: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
