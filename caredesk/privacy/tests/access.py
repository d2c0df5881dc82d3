"""Access rules of the privacy app's routes, merged into the project's access matrix."""

HTML_ACCESS = {
    "privacy:backups": "manage_backups",
}

API_ACCESS: dict[str, str] = {}

SAMPLE_KWARGS: dict[str, object] = {}
