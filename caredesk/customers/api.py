"""The customers API: search (caredesk.customers.search.api) and the customer records."""

from ninja import Router

from caredesk.customers.search.api import router as search_router

router = Router()
router.add_router("", search_router)
