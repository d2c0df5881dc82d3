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
    address = models.CharField(max_length=300, blank=True)
    # Printed on receipts and invoices: the registered taxpayer name and its TIN.
    tax_id = models.CharField("Tax ID (TIN)", max_length=40, blank=True)
    tax_name = models.CharField("Registered name", max_length=200, blank=True)
    business_hours = models.CharField(max_length=200, blank=True)
    # Where delivery runs start and end.
    depot_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    depot_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    active = models.BooleanField(default=True)
    # VAT registration is printed on the branch's invoices and credit notes.
    vat_registered = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "branches"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Zone(models.Model):
    """A delivery/pickup zone of a branch (e.g. "MNL-N" Quezon City north). Customer addresses
    belong to a zone; pickup/delivery windows and their capacity are offered per zone."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="zones")
    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
