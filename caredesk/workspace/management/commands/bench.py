"""`caredesk bench <name> [options]`: run the benchmark `caredesk.<app>.bench` (or the module
named `app.module`) for <name>.

Each benchmark module has `add_arguments(parser)` and `run(*, out, options)`. It runs on a
database of its own: `--database-url URL`, else $DATABASE_URL, else a SQLite file
var/bench/<name>.sqlite3 (the command re-runs itself with that DATABASE_URL and the test
settings: production settings, DEBUG off, plain HTTP, static files from the finders).
`--current-database` uses the configured database as it is (tests).
"""

import argparse
import importlib
import os
import secrets
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

BENCHMARKS = {
    "search": "customers",
    "orders": "orders",
    "delivery": "delivery",
    "inbox": "inbox",
    "money": "billing",
    "load": "workspace",
    "pages": "workspace.bench_pages",
}


class Command(BaseCommand):
    help = "Run a benchmark (search, ...) against a dedicated database and print latencies."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(BENCHMARKS))
        parser.add_argument(
            "rest",
            nargs=argparse.REMAINDER,
            help="the benchmark's options, and --database-url URL / --current-database",
        )

    def handle(self, *args, **options):
        name = options["name"]
        try:
            where_module = BENCHMARKS[name]  # an app (its `bench` module) or app.module
            if "." not in where_module:
                where_module += ".bench"
            module = importlib.import_module(f"caredesk.{where_module}")
        except ModuleNotFoundError as exc:
            raise CommandError(f"The {name} benchmark is not installed.") from exc
        where = argparse.ArgumentParser(add_help=False)
        where.add_argument("--database-url", default=None)
        where.add_argument("--current-database", action="store_true")
        known, rest = where.parse_known_args(options["rest"])
        if not known.current_database:
            default = f"sqlite:///{settings.VAR_DIR / 'bench' / f'{name}.sqlite3'}"
            target = known.database_url or os.environ.get("DATABASE_URL") or default
            if os.environ.get("CAREDESK_BENCH_DATABASE") != target:
                self._rerun(name, target, rest)
        parser = argparse.ArgumentParser(prog=f"caredesk bench {name}")
        module.add_arguments(parser)
        try:
            bench_options = vars(parser.parse_args(rest))
        except SystemExit as exc:
            raise CommandError(f"bad arguments for the {name} benchmark") from exc
        if not known.current_database:
            call_command("migrate", verbosity=0, interactive=False)
        module.run(out=self._out, options=bench_options)

    def _out(self, line: str = "") -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def _rerun(self, name: str, url: str, args: list[str]) -> None:
        """Run again in a fresh process bound to the benchmark database."""
        if url.startswith("sqlite:///"):
            os.makedirs(os.path.dirname(url.removeprefix("sqlite:///")) or ".", exist_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "CAREDESK_BENCH_DATABASE": url,
            "DJANGO_SETTINGS_MODULE": "caredesk.settings_test",
            "CAREDESK_DEBUG": "false",
            "CAREDESK_SSL_REDIRECT": "false",
            "CAREDESK_SECURE_COOKIES": "false",
            "CAREDESK_ALLOWED_HOSTS": "testserver",
        }
        env.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
        sys.stdout.flush()
        argv = [sys.executable, "-m", "caredesk", "bench", name, *args]
        os.execve(sys.executable, argv, env)  # noqa: S606 (fixed argv, no shell)
