"""Reads of staff accounts for the administration pages and API."""

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from caredesk.staff.models import ApiToken


def staff_list() -> QuerySet:
    """Staff users by username with their roles prefetched and `active_tokens` (API tokens in
    use) annotated: one query for the users, one for the roles."""
    tokens = (
        ApiToken.objects.filter(
            user=OuterRef("pk"), revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        get_user_model()
        .objects.annotate(active_tokens=Coalesce(Subquery(tokens, output_field=IntegerField()), 0))
        .prefetch_related("groups")
        .order_by("username")
    )
