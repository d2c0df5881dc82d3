"""Guest sign-in (SPEC §9): a one-time code sent by SMS to the mobile number on an order."""

from django.db import models
from django.utils import timezone


class LoginCode(models.Model):
    """One code sent to `phone` (E.164). Only its salted hash is kept; it is good for five
    minutes and a few attempts, and spent on first use. A code row exists only for a number
    that is on an order; an unknown number gets the same answer and no row."""

    phone = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    salt = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "-created_at"], name="login_code_phone_idx")]
