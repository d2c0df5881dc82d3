"""The backups page: the last backup and its size, for those who may see it."""

import pytest
from django.urls import reverse

from caredesk.privacy.models import Backup

pytestmark = pytest.mark.django_db


def _backups(n):
    Backup.objects.bulk_create(
        Backup(
            status=Backup.Status.DONE,
            path=f"/srv/backups/b{i}.tar.gz",
            size=1_500_000 + i,
            rows=100,
            files=2,
        )
        for i in range(n)
    )


def test_backups_page_shows_last_backup_and_size(web_for, admin, django_assert_max_num_queries):
    _backups(30)
    client = web_for(admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("privacy:backups"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Last backup" in html and "1.4\xa0MB" in html
    assert "Page 1 of 2" in html
    assert "Not scheduled" in html


def test_dashboard_panel_shows_last_backup_to_admins_only(web_for, admin, csr):
    _backups(1)
    assert (
        "panel-last-backup" in web_for(admin).get(reverse("workspace:dashboard")).content.decode()
    )
    assert (
        "panel-last-backup" not in web_for(csr).get(reverse("workspace:dashboard")).content.decode()
    )


def test_csr_cannot_open_backups(web_for, csr):
    assert web_for(csr).get(reverse("privacy:backups")).status_code == 403


def test_settings_page_shows_the_last_backup_and_its_size(web_for, admin, settings):
    settings.CAREDESK_BACKUP_DIR = "/srv/caredesk-backups"
    settings.CAREDESK_BACKUP_KEEP = 5
    _backups(2)
    html = web_for(admin).get(reverse("staff:settings")).content.decode()
    assert "Last backup" in html and "1.4\xa0MB" in html
    assert "into /srv/caredesk-backups, newest 5 kept" in html
    assert "accounts closed over 365 days" in html


def test_settings_page_says_when_no_backup_was_taken(web_for, admin):
    html = web_for(admin).get(reverse("staff:settings")).content.decode()
    assert "none yet" in html
