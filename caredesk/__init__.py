"""Caredesk: the customer-service workspace."""

__version__ = "0.1.0"
