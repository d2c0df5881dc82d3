from django.db.models import Count, QuerySet

from caredesk.branches.models import Branch


def branch_list() -> QuerySet[Branch]:
    """Branches with their zone count, by code."""
    return Branch.objects.annotate(zone_count=Count("zones")).order_by("code")
