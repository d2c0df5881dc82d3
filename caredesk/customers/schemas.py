"""Request bodies shared by the customer endpoints (api.py and api_contacts.py)."""

import re

from pydantic import BaseModel, ConfigDict, model_validator

from caredesk.lib.schemas import Code, ShortText, StrictIn, UnknownFields


class AddressIn(StrictIn):
    line1: ShortText = ""
    line2: ShortText = ""
    barangay: ShortText = ""
    city: ShortText = ""
    province: ShortText = ""
    postal_code: Code = ""
    branch: Code = ""
    zone: Code = ""
    kind: Code = "home"
    latitude: float | Code | None = None
    longitude: float | Code | None = None


class CardIn(BaseModel):
    """Brand, last 4, expiry and holder last name, nothing else. A key the card does not take
    is refused (422 naming it), except when its value may be a full card number (more than 4
    digits): that one is kept so the service refuses it as such (400 `card_number`); no answer
    ever repeats the number."""

    # Extra keys are kept only to be refused: the document says none is taken.
    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": False})
    brand: Code = ""
    last4: Code | int = ""
    exp_month: int | Code = ""
    exp_year: int | Code = ""
    holder_last_name: ShortText = ""

    @model_validator(mode="after")
    def _only_known_keys(self):
        unknown = sorted(
            key
            for key, value in (self.model_extra or {}).items()
            if len(re.sub(r"\D", "", str(value if value is not None else ""))) <= 4
        )
        if unknown:
            raise UnknownFields(unknown)
        return self
