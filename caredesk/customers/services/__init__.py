"""Customer workflows (SPEC §2, §7). One function per action; import them from here:
`from caredesk.customers.services import blocklist_enforce, customer_create, ...`."""

from caredesk.customers.services.accounts import (
    COMPANY_TYPES,
    CUSTOMER_TARGET,
    customer_close,
    customer_create,
    customer_fraud_stop,
    customer_get,
    customer_reopen,
    customer_update,
    customer_viewed_as,
)
from caredesk.customers.services.addresses import (
    ADDRESS_ACTIONS,
    address_add,
    address_change,
    address_make_default,
    address_needs_register,
    address_remove,
    address_values,
)
from caredesk.customers.services.blocklist import (
    blocklist_add,
    blocklist_enforce,
    blocklist_hits,
    blocklist_remove,
    fraud_hit_alert,
)
from caredesk.customers.services.cards import CARD_ACTIONS, card_add, card_label, card_remove
from caredesk.customers.services.contacts import (
    CONTACT_ACTIONS,
    contact_add,
    contact_change,
    contact_make_primary,
    contact_remove,
)
from caredesk.customers.services.parts import (
    PART_ACTIONS,
    part_change,
    part_holders_register,
    part_register,
)
from caredesk.customers.services.password_reset import (
    PASSWORD_RESET_INVALID,
    PASSWORD_RESET_MAX_AGE,
    customer_password_reset_send,
    customer_password_set,
    password_reset_customer,
    password_reset_email_send,
    password_reset_token,
)
from caredesk.customers.services.privacy import BLOCK_ACTIONS, member_block, member_unblock

__all__ = [
    "ADDRESS_ACTIONS",
    "BLOCK_ACTIONS",
    "CARD_ACTIONS",
    "COMPANY_TYPES",
    "CONTACT_ACTIONS",
    "CUSTOMER_TARGET",
    "PART_ACTIONS",
    "PASSWORD_RESET_INVALID",
    "PASSWORD_RESET_MAX_AGE",
    "address_add",
    "address_change",
    "address_make_default",
    "address_needs_register",
    "address_remove",
    "address_values",
    "blocklist_add",
    "blocklist_enforce",
    "blocklist_hits",
    "blocklist_remove",
    "card_add",
    "card_label",
    "card_remove",
    "contact_add",
    "contact_change",
    "contact_make_primary",
    "contact_remove",
    "customer_close",
    "customer_create",
    "customer_fraud_stop",
    "customer_get",
    "customer_password_reset_send",
    "customer_password_set",
    "customer_reopen",
    "customer_update",
    "customer_viewed_as",
    "fraud_hit_alert",
    "member_block",
    "member_unblock",
    "part_change",
    "part_holders_register",
    "part_register",
    "password_reset_customer",
    "password_reset_email_send",
    "password_reset_token",
]
