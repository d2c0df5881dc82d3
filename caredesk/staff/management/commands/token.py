from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from caredesk.lib.errors import DomainError
from caredesk.staff.services import token_issue


class Command(BaseCommand):
    help = "Issue a new API token for USERNAME; the token is the last line printed."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="cli")

    def handle(self, *args, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active staff user {options['username']!r}.") from None
        try:
            token = token_issue(user=user, label=options["label"])
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(token)
