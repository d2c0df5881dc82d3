import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from caredesk.lib.errors import DomainError
from caredesk.staff.capabilities import ROLES
from caredesk.staff.services import staff_create


class Command(BaseCommand):
    help = "Manage staff: `caredesk staff add USERNAME --role ROLE [--role ROLE...]`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser(
            "add", help="Create a staff user (password from CAREDESK_PASSWORD or a prompt)."
        )
        add.add_argument("username")
        add.add_argument(
            "--role", action="append", required=True, choices=sorted(ROLES), dest="roles"
        )
        add.add_argument("--first-name", default="")
        add.add_argument("--last-name", default="")
        add.add_argument("--email", default="")

    def handle(self, *args, **options):
        password = os.environ.get("CAREDESK_PASSWORD")
        if not password:
            if not options.get("stdin_is_tty", True) and not os.isatty(0):
                raise CommandError("Set CAREDESK_PASSWORD or run from a terminal for a prompt.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        try:
            user = staff_create(
                actor=None,
                username=options["username"],
                password=password,
                roles=options["roles"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
            )
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(
            f"Created staff user {user.username} with roles {', '.join(sorted(options['roles']))}."
        )
