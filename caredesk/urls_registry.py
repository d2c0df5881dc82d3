"""The domain apps whose `urls.py` and `api.py` are mounted, in this order."""

DOMAIN_APPS = [
    "staff",
    "audit",
    "customers",
    "orders",
    "comms",
    "delivery",
    "inbox",
    "portal",
    "workspace",
]
