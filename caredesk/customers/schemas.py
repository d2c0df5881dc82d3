"""Request bodies shared by the customer endpoints (api.py and api_contacts.py)."""

from pydantic import BaseModel, ConfigDict


class AddressIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    line1: str = ""
    line2: str = ""
    barangay: str = ""
    city: str = ""
    province: str = ""
    postal_code: str = ""
    branch: str = ""
    zone: str = ""
    kind: str = "home"
    latitude: float | str | None = None
    longitude: float | str | None = None


class CardIn(BaseModel):
    # Extra keys are kept so that a full card number sent under any name is refused, not
    # silently dropped.
    model_config = ConfigDict(extra="allow")
    brand: str = ""
    last4: str | int = ""
    exp_month: int | str = ""
    exp_year: int | str = ""
    holder_last_name: str = ""
