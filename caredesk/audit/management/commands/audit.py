from django.core.management.base import BaseCommand, CommandError

from caredesk.audit.verify import chain_verify


class Command(BaseCommand):
    help = "Audit log tools: `caredesk audit verify` checks the hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Report edited, inserted or deleted events.")

    def handle(self, *args, **options):
        checked, problems = chain_verify()
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(
                f"Audit log check FAILED: {len(problems)} problem(s) in {checked} events."
            )
        self.stdout.write(f"Audit log intact: {checked} events verified.")
