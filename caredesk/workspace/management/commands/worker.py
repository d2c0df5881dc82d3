import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker (email outbox, chat alerts, retention jobs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls when idle"
        )
        parser.add_argument(
            "--batch", action="store_true", help="work what is queued now, then exit"
        )
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=30.0,
            help="seconds between outbox sweeps (retries, lost or interrupted deliveries)",
        )
        parser.add_argument(
            "--retention-every",
            type=float,
            default=3600.0,
            help="seconds between email-retention runs",
        )

    def handle(self, *args, **options):
        from caredesk.comms.schedule import scheduler_loop
        from caredesk.comms.tasks import outbox_sweep
        from caredesk.workspace.reaper import stale_tasks_reap

        # Whatever a previous worker left (tasks it was running when killed, lost enqueues,
        # interrupted sends) is put back first.
        stale_tasks_reap()
        outbox_sweep.enqueue()
        argv = ["--interval", str(options["interval"]), "--no-reload"]
        if options["batch"]:
            call_command(
                "db_worker", *argv, "--batch", "--no-startup-delay", verbosity=options["verbosity"]
            )
            return
        stop = threading.Event()
        intervals = {
            "outbox_sweep": options["sweep_every"],
            "retention": options["retention_every"],
        }
        if settings.CAREDESK_BACKUP_DIR:
            intervals["backup"] = settings.CAREDESK_BACKUP_EVERY_HOURS * 3600.0
        thread = threading.Thread(
            target=scheduler_loop, args=(intervals, stop), name="scheduler", daemon=True
        )
        thread.start()
        try:
            call_command("db_worker", *argv, verbosity=options["verbosity"])
        finally:
            stop.set()
