from caredesk.inbox.tests.conftest import (  # noqa: F401 (shared fixtures)
    _media,
    branch,
    customer,
    make_customer,
    make_order,
    position,
)
