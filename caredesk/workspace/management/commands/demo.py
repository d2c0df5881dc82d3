import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from caredesk.lib.modules import hook_modules


def demo_modules() -> list:
    """Each installed app's `demo.py`, which contributes `build(out=, options=)`, in app order
    but the branches' first: staff, customers and orders belong to a branch."""
    modules = hook_modules("demo")
    return sorted(modules, key=lambda module: module.__name__ != "caredesk.branches.demo")


class Command(BaseCommand):
    help = "Create the deterministic demo business (branches, staff, customers, ...)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--customers", type=int, default=2000, help="number of demo customers (default 2000)"
        )
        parser.add_argument("--seed", type=int, default=20261123)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has staff users",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and get_user_model().objects.exists():
            self.stdout.write("Demo data: database already has data, left as it is.")
            self._print_logins()
            return
        if options["customers"] < 0:
            options["customers"] = 0
        options["rng"] = random.Random(options["seed"])
        for module in demo_modules():
            module.build(out=self.stdout.write, options=options)
        self._print_logins()

    def _print_logins(self) -> None:
        from django.conf import settings

        from caredesk.staff.demo import logins

        login_url = settings.CAREDESK_PUBLIC_URL.rstrip("/") + "/login/"
        self.stdout.write(f"\nDemo logins ({login_url}):")
        for username, password, roles in logins():
            self.stdout.write(f"  {username:<10} {password:<14} {roles}")
