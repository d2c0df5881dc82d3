import pytest
from django_tasks_db.models import DBTaskResult

from caredesk.audit.models import Event
from caredesk.comms import regarding as regarding_module
from caredesk.comms.models import ActivityCode, ActivityNote, OutboundMessage
from caredesk.comms.regarding import RegardingItem
from caredesk.comms.services import (
    activity_code_create,
    activity_code_update,
    email_compose_send,
    email_send_template,
    note_add,
)
from caredesk.lib.errors import Conflict, Invalid, NotAllowed

pytestmark = pytest.mark.django_db


def compose(actor, customer, **overrides):
    fields = {
        "to": "",
        "cc": "",
        "include_customer_address": True,
        "subject": "About your order",
        "body": "Hi {{ customer.first_name }}, your blades are ready.",
        "body_format": "text",
        "template_code": "free_text",
        "regarding": "",
    }
    fields.update(overrides)
    return email_compose_send(actor=actor, customer=customer, **fields)


@pytest.fixture
def orders_of(customer_factory):
    """Registers a provider standing in for orders: each customer owns one order number."""

    def provider(customer):
        yield RegardingItem(
            number=f"SO-{customer.pk:05d}",
            kind="order",
            order_number=f"SO-{customer.pk:05d}",
            context={"order": {"number": f"SO-{customer.pk:05d}", "status": "Ready"}},
        )

    regarding_module.REGARDING_PROVIDERS.append(provider)
    yield provider
    regarding_module.REGARDING_PROVIDERS.remove(provider)


def test_compose_queues_one_message_with_event_and_delivery_task(
    csr, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = compose(csr, customer, cc="boss@example.com; Boss@Example.com")
    assert message.status == "queued"
    assert message.to == ["ana.reyes@example.com"] and message.cc == ["boss@example.com"]
    assert message.text_body == "Hi Ana, your blades are ready."
    assert message.message_id.startswith("<") and message.message_id.endswith(
        "@caredesk.localhost>"
    )
    event = Event.objects.get(action="email.queued")
    assert event.target_type == "customers.customer" and event.target_id == str(customer.pk)
    assert event.data["message"] == message.pk
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_message").count() == 1


@pytest.mark.parametrize(
    "overrides, field, text",
    [
        ({"include_customer_address": False}, "to", "at least one recipient"),
        ({"to": "ana@", "include_customer_address": False}, "to", "not a valid email"),
        ({"cc": "bob@example.com, not an address"}, "cc", "not a valid email"),
        ({"subject": "  "}, "subject", "subject is required"),
        ({"body": ""}, "body", "empty"),
        ({"body": "Hi {% if customer.name %}"}, "body", "Template error"),
        ({"body": "Hi {{ customer.name"}, "body", "not closed"),
        ({"body": "Your password is {{ customer.password }}"}, "body", "Unknown variable"),
        ({"subject": "{{ order.number }}"}, "subject", "Unknown variable"),
        ({"regarding": "SO-99999"}, "regarding", "not an order, invoice or payment"),
        ({"body_format": "rtf"}, "body_format", "text or HTML"),
        ({"template_code": "nope"}, "template_code", "Unknown template"),
    ],
)
def test_bad_compose_input_gets_a_clear_message_and_nothing_is_queued(
    csr, customer, overrides, field, text
):
    with pytest.raises(Invalid) as exc:
        compose(csr, customer, **overrides)
    assert exc.value.field == field
    assert text in exc.value.detail
    assert not OutboundMessage.objects.exists()
    assert not Event.objects.filter(action="email.queued").exists()


def test_customer_without_email_needs_an_explicit_recipient(csr, customer_factory):
    customer = customer_factory(email="")
    with pytest.raises(Invalid, match="no email address"):
        compose(csr, customer)
    message = compose(csr, customer, include_customer_address=False, to="office@example.com")
    assert message.to == ["office@example.com"]


def test_regarding_accepts_only_this_customers_numbers(csr, customer_factory, orders_of):
    mine, other = customer_factory(), customer_factory(email="other@example.com")
    message = compose(
        csr,
        mine,
        regarding=f"SO-{mine.pk:05d}",
        subject="Order {{ order.number }}: {{ order.status }}",
        template_code="order_status_update",
    )
    assert message.regarding == f"SO-{mine.pk:05d}" and message.order_number == message.regarding
    assert message.subject == f"Order SO-{mine.pk:05d}: Ready"
    with pytest.raises(Invalid) as exc:
        compose(csr, mine, regarding=f"SO-{other.pk:05d}")
    assert exc.value.field == "regarding"
    assert OutboundMessage.objects.count() == 1


def test_installer_may_not_email_customers(installer, customer):
    with pytest.raises(NotAllowed):
        compose(installer, customer)


def test_template_email_needs_the_customer_address(customer_factory):
    with pytest.raises(Invalid, match="no email address"):
        email_send_template(
            actor=None,
            customer=customer_factory(email=""),
            template_code="order_confirmation",
            context={},
        )
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize(
    "code",
    [
        "order_confirmation",
        "order_status_update",
        "send_update",
        "resend_confirmation",
        "password_reset",
        "free_text",
    ],
)
def test_every_template_code_can_be_sent_with_a_plain_dict_context(customer, csr, code):
    class Order:
        number = "SO-7"

    message = email_send_template(
        actor=csr,
        customer=customer,
        template_code=code,
        context={
            "order": {"number": "SO-7", "status": "Ready"},
            "reset": {"url": "https://x.example/r", "expires_hours": 1},
        },
        order=Order(),
    )
    assert message.template_code == code and message.order_number == "SO-7"
    assert message.regarding == "SO-7" and message.locale == "en"
    assert message.text_body and message.html_body
    assert "Ana" in message.text_body or code == "password_reset"


def test_note_with_codes_is_added_and_recorded(csr, customer):
    note = note_add(
        actor=csr,
        customer=customer,
        subject="Asked about pickup",
        body="Will call back Friday",
        activity_code="call_in",
        result_code="satisfied",
    )
    assert note.activity_code.label == "Call in" and note.result_code.label == "Satisfied"
    event = Event.objects.get(action="note.added")
    assert event.data["note"] == note.pk and event.target_id == str(customer.pk)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"subject": ""}, "subject"),
        ({"activity_code": "satisfied"}, "activity_code"),
        ({"result_code": "call_in"}, "result_code"),
        ({"result_code": "nope"}, "result_code"),
    ],
)
def test_bad_note_is_refused(csr, customer, overrides, field):
    fields = {"subject": "Call", "activity_code": "call_out", "result_code": "no_answer"}
    fields.update(overrides)
    with pytest.raises(Invalid) as exc:
        note_add(actor=csr, customer=customer, **fields)
    assert exc.value.field == field
    assert not ActivityNote.objects.exists()


def test_seeded_result_codes():
    labels = set(ActivityCode.objects.filter(kind="result").values_list("label", flat=True))
    assert labels == {"Satisfied", "Not Satisfied", "No Answer", "Left Message"}


def test_codes_are_managed_by_managers_only(manager, csr, customer):
    with pytest.raises(NotAllowed):
        activity_code_create(actor=csr, kind="activity", code="walk_in", label="Walk-in")
    item = activity_code_create(actor=manager, kind="activity", code="walk_in", label="Walk-in")
    with pytest.raises(Conflict):
        activity_code_create(actor=manager, kind="activity", code="walk_in", label="Again")
    with pytest.raises(Invalid):
        activity_code_create(actor=manager, kind="activity", code="Bad Code", label="x")
    activity_code_update(actor=manager, item=item, label="Walk-in visit", active=False)
    item.refresh_from_db()
    assert item.label == "Walk-in visit" and not item.active
    with pytest.raises(Invalid):  # an inactive code is no longer offered
        note_add(
            actor=csr,
            customer=customer,
            subject="x",
            activity_code="walk_in",
            result_code="satisfied",
        )


@pytest.fixture
def notice_template(monkeypatch):
    """A template another app registers: its code and variables, English and Filipino rows."""
    from caredesk.comms import rendering
    from caredesk.comms.models import EmailTemplate

    monkeypatch.setitem(
        rendering.VARIABLES, "visit_notice", {**rendering.COMMON, "visit.day": "The day"}
    )
    EmailTemplate.objects.create(
        code="visit_notice", locale="en", subject="Visit on {{ visit.day }}", text_body="See you."
    )
    EmailTemplate.objects.create(
        code="visit_notice",
        locale="fil",
        subject="Bisita sa {{ visit.day }}",
        text_body="Magkita tayo, {{ customer.first_name }}.",
    )
    return "visit_notice"


def test_another_app_queues_its_template_to_a_guest_address(
    notice_template, fil_customer, csr, django_capture_on_commit_callbacks
):
    from caredesk.comms.services import email_queue_templated

    with django_capture_on_commit_callbacks(execute=True):
        message = email_queue_templated(
            actor=csr,
            to="guest@example.ph",
            template_code=notice_template,
            locale="fil",
            customer=fil_customer,
            context={"visit": {"day": "Lunes"}},
            regarding="V-1",
            event_target=fil_customer,
            event_data={"reference": "V-1"},
        )
    assert message.to == ["guest@example.ph"] and message.locale == "fil"
    assert message.subject == "Bisita sa Lunes" and "Maria" in message.text_body
    assert message.template_code == "visit_notice" and message.created_by == csr
    event = Event.objects.get(action="email.queued")
    assert event.target_id == str(fil_customer.pk)
    assert event.data["reference"] == "V-1" and event.data["to"] == ["guest@example.ph"]
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_message").count() == 1


def test_a_guest_without_customer_gets_english_when_their_language_is_missing(notice_template):
    from caredesk.comms.services import email_queue_templated

    message = email_queue_templated(
        actor=None,
        to="guest@example.ph",
        template_code=notice_template,
        locale="ceb",
        context={"visit": {"day": "Monday"}},
    )
    assert message.locale == "en" and message.subject == "Visit on Monday"
    assert message.customer_id is None and message.created_by_id is None


def test_queueing_for_another_app_refuses_bad_input_and_queues_nothing(notice_template):
    from caredesk.comms.services import email_queue_templated
    from caredesk.lib.errors import NotFound

    common = {"actor": None, "locale": "en", "context": {}}
    with pytest.raises(Invalid, match="no address"):
        email_queue_templated(to=" ", template_code=notice_template, **common)
    with pytest.raises(Invalid, match="Unknown template"):
        email_queue_templated(to="a@example.ph", template_code="nope", **common)
    from caredesk.comms.models import EmailTemplate

    EmailTemplate.objects.filter(code=notice_template).delete()
    with pytest.raises(NotFound):
        email_queue_templated(to="a@example.ph", template_code=notice_template, **common)
    assert not OutboundMessage.objects.exists()
    assert not Event.objects.filter(action="email.queued").exists()
