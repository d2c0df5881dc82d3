from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from caredesk.lib.permissions import capability_required
from caredesk.privacy.selectors import backup_list
from caredesk.privacy.services.backups import backup_default_dir, last_backup

PAGE_SIZE = 25


@capability_required("manage_backups")
def backups(request):
    """The last backup and its size, the schedule, and every backup run (paginated)."""
    page = Paginator(backup_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "last": last_backup(),
        "page": page,
        "scheduled": bool(settings.CAREDESK_BACKUP_DIR),
        "backup_dir": settings.CAREDESK_BACKUP_DIR or str(backup_default_dir()),
        "keep": settings.CAREDESK_BACKUP_KEEP,
        "every_hours": settings.CAREDESK_BACKUP_EVERY_HOURS,
    }
    return render(request, "privacy/backups.html", context)
