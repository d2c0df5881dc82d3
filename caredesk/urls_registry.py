"""The domain apps whose `urls.py` and `api.py` are mounted, in this order."""

DOMAIN_APPS = [
    "staff",
    "audit",
    "branches",
    "customers",
    "orders",
    "billing",
    "comms",
    "delivery",
    "inbox",
    "portal",
    "people",
    "privacy",
    "workspace",
]
