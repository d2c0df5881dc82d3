"""The last backup on the dashboard of those who look after backups."""

from caredesk.lib.permissions import has_capability
from caredesk.privacy.services.backups import last_backup


def panels(request) -> list[dict]:
    if not has_capability(request.user, "manage_backups"):
        return []
    return [{"template": "privacy/_dashboard_backup.html", "last": last_backup()}]
