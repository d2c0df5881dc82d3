"""Customer forms: the account forms (`accounts`) and the forms of the rows of a customer
record edited one at a time (`rows`). They only shape input; the services hold the rules."""

from caredesk.customers.forms.accounts import (  # noqa: F401
    AddressFields,
    BlocklistAddForm,
    BlocklistFilterForm,
    CustomerCreateForm,
    CustomerEditForm,
    ProfileFields,
    ReasonForm,
    service_field,
)
from caredesk.customers.forms.rows import (  # noqa: F401
    LABEL_SUGGESTIONS,
    AddressForm,
    CardForm,
    ContactForm,
    PartForm,
    VersionForm,
)
