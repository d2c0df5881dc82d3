from django.core.validators import RegexValidator
from django.db import models


class Branch(models.Model):
    """A store/service branch. Its code prefixes order numbers (MNL-0001) and groups delivery
    runs and customer addresses."""

    code = models.CharField(
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,5}$", "Use 2-5 capital letters, e.g. MNL.")],
    )
    name = models.CharField(max_length=100)
    city = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "branches"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
