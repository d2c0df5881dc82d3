"""The OpenAPI document tells the truth: Schemathesis generates requests for every operation
from `/api/v1/openapi.json` and runs all its checks (no server error, status codes, content
types and bodies as documented, ...). The budget per operation is small here so the suite stays
fast; `make fuzz` runs the same test with CAREDESK_FUZZ_EXAMPLES raised."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("CAREDESK_FUZZ_EXAMPLES", "5"))
FUZZ = "CAREDESK_FUZZ_EXAMPLES" in os.environ

# A raw RFC 822 message (the inbound email webhook) is text: send generated bodies as such.
schemathesis.serializer.alias("message/rfc822", "text/plain")

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# A schema-valid request may still break a business rule (unknown branch, illegal transition,
# stale version): those documented refusals are acceptable answers; 422 (the schema lied) and
# any 5xx are not.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    "2XX",
    "400",
    "401",
    "403",
    "404",
    "409",
    "412",
    "428",
]
# The coverage phase (every boundary of every field) runs under `make fuzz`.
schema.config.phases.coverage.enabled = FUZZ


@pytest.fixture
def bearer(db, staff_factory):
    from caredesk.staff.services import token_issue

    user = staff_factory("contract-admin", "admin")
    # Like Django's test client: requests keep the test's connection (and its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {token_issue(user=user)}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_openapi_document(case, bearer):
    case.call_and_validate(headers=bearer)
