from django.core.management.base import BaseCommand

from caredesk.orders import bench


class Command(BaseCommand):
    help = (
        "Benchmark orders: p50/p95 of the order page, the pending grid and an amendment on a "
        "bulk-generated data set (run against a database of its own, e.g. DATABASE_URL=.../bench)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=1_000_000)
        parser.add_argument("--orders", type=int, default=3_000_000)
        parser.add_argument("--samples", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        bench.run(options, out=self.stdout.write)
