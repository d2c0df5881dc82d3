"""The effective configuration as an administrator may read it: values that change how the
business runs, and whether email and chat are connected, never a secret."""

from django.conf import settings
from django.db import connection

from caredesk.lib.display import money

# How each chat alert type reads (CAREDESK_CHAT_ALERT_EVENTS holds the codes).
CHAT_ALERTS = {
    "showroom_visit": "showroom visitors",
    "fraud_hit": "FRAUD-STOP hits",
}
DATABASES = {"sqlite": "SQLite (embedded)", "postgresql": "PostgreSQL"}


def _status(configured: bool, yes: str, no: str) -> str:
    return yes if configured else no


def effective_settings() -> list[dict]:
    """Sections of (label, value) rows. Secrets (keys, tokens, passwords, database URL) are
    reported only as set / not set."""
    s = settings
    rate = s.CAREDESK_VAT_RATE * 100
    return [
        {
            "title": "Business",
            "rows": [
                ("Business name", s.CAREDESK_BUSINESS_NAME),
                ("Business phone", s.CAREDESK_BUSINESS_PHONE),
                ("Public address", s.CAREDESK_PUBLIC_URL),
                ("Time zone", s.TIME_ZONE),
                ("Languages", ", ".join(label for _, label in s.LANGUAGES)),
            ],
        },
        {
            "title": "Money",
            "rows": [
                ("Currency", s.CAREDESK_CURRENCY),
                ("VAT rate", f"{rate.normalize():f}%"),
                ("Prices include VAT", "yes" if s.CAREDESK_VAT_INCLUSIVE else "no"),
                ("Delivery fee", money(s.CAREDESK_DELIVERY_FEE)),
            ],
        },
        {
            "title": "Email and chat",
            "rows": [
                (
                    "Email",
                    _status(
                        bool(s.EMAIL_HOST),
                        f"sent through {s.EMAIL_HOST}:{s.EMAIL_PORT}",
                        "not connected: messages are written to files under var/",
                    ),
                ),
                ("From address", s.DEFAULT_FROM_EMAIL),
                (
                    "Team chat (Telegram)",
                    _status(
                        bool(s.TELEGRAM_BOT_TOKEN and s.TELEGRAM_CHAT_ID),
                        "connected",
                        "not connected: alerts are written to files under var/",
                    ),
                ),
                (
                    "Chat alerts for",
                    ", ".join(
                        CHAT_ALERTS.get(code, code.replace("_", " "))
                        for code in s.CAREDESK_CHAT_ALERT_EVENTS
                    )
                    or "none",
                ),
                ("Outbox attempts before giving up", s.CAREDESK_OUTBOX_MAX_ATTEMPTS),
            ],
        },
        {
            "title": "Retention and security",
            "rows": [
                ("Email bodies kept for", f"{s.CAREDESK_EMAIL_RETENTION_DAYS} days"),
                (
                    "Closed accounts offered for erasure after",
                    f"{s.CAREDESK_RETENTION_CLOSED_DAYS} days",
                ),
                (
                    "Scheduled backups",
                    f"every {s.CAREDESK_BACKUP_EVERY_HOURS} hours, newest "
                    f"{s.CAREDESK_BACKUP_KEEP} kept"
                    if s.CAREDESK_BACKUP_DIR
                    else "off (no backup folder set)",
                ),
                ("API tokens valid for", f"{s.CAREDESK_API_TOKEN_DAYS} days"),
                (
                    "Sign-in failures before throttling",
                    f"{s.CAREDESK_LOGIN_MAX_FAILURES_PER_USER} per user, "
                    f"{s.CAREDESK_LOGIN_MAX_FAILURES_PER_IP} per address",
                ),
                ("Order edit lock", f"{s.CAREDESK_ORDER_LOCK_MINUTES} minutes"),
                ("Debug mode", "on (development only)" if s.DEBUG else "off"),
            ],
        },
        {
            "title": "Database",
            "rows": [("Engine", DATABASES.get(connection.vendor, connection.vendor))],
        },
        *_data_safety(),
    ]


def _data_safety() -> list[dict]:
    """The last backup and its size, the worker's backup schedule and the erasure review
    period (when the privacy app is installed)."""
    from django.apps import apps

    if not apps.is_installed("caredesk.privacy"):
        return []
    from django.template.defaultfilters import filesizeformat

    from caredesk.lib.display import when
    from caredesk.privacy.services.backups import backup_default_dir, last_backup

    s = settings
    last = last_backup()
    hours = s.CAREDESK_BACKUP_EVERY_HOURS
    return [
        {
            "title": "Backups and privacy",
            "rows": [
                (
                    "Last backup",
                    f"{when(last.started_at)}, {filesizeformat(last.size or 0)}"
                    if last
                    else "none yet",
                ),
                (
                    "Scheduled backups",
                    f"every {hours} hour{'s' if hours != 1 else ''} into "
                    f"{s.CAREDESK_BACKUP_DIR}, newest {s.CAREDESK_BACKUP_KEEP} kept"
                    if s.CAREDESK_BACKUP_DIR
                    else "off (set CAREDESK_BACKUP_DIR); caredesk backup writes to "
                    f"{backup_default_dir()}",
                ),
                ("Erasure review", f"accounts closed over {s.CAREDESK_RETENTION_CLOSED_DAYS} days"),
            ],
        }
    ]
