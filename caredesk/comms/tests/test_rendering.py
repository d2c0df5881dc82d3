import pytest

from caredesk.comms.models import EmailTemplate, TemplateCode
from caredesk.comms.rendering import VARIABLES, base_context, merge_context, message_render
from caredesk.comms.services import email_template_update, template_for
from caredesk.lib.errors import Invalid, NotAllowed, StaleVersion

from .conftest import ORDER_CONTEXT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "source, message",
    [
        ("Hello {{ customer.first_name", "Template error"),
        ("{% if customer.name %}unclosed", "Template error"),
        ("{% load static %}", "Template error"),
        ("{% include 'base.html' %}", "Template error"),
        ("{% debug %}", "Template error"),
        ("{% autoescape off %}{{ customer.name }}{% endautoescape %}", "Template error"),
        ("{{ customer.name|safe }}", "Template error"),
        ("{{ customer.password }}", "Unknown variable: customer.password"),
        ("{{ settings.SECRET_KEY }}", "Unknown variable: settings.SECRET_KEY"),
        ("{% if staff %}x{% endif %}", "Unknown variable: staff"),
        ("{{ customer.name|default:secret }}", "Unknown variable: secret"),
    ],
)
def test_template_with_bad_source_is_refused_at_save_and_not_stored(manager, source, message):
    template = EmailTemplate.objects.get(code="free_text", locale="en")
    with pytest.raises(Invalid) as exc:
        email_template_update(
            actor=manager,
            template=template,
            expected_version=template.version,
            subject="Hi",
            text_body=source,
            html_body="",
        )
    assert message in exc.value.detail
    assert exc.value.field == "text_body"
    template.refresh_from_db()
    assert template.version == 1
    assert source not in template.text_body


def test_every_seeded_template_is_valid_and_renders_in_both_languages():
    for code in TemplateCode.values:
        for locale in ("en", "fil"):
            t = EmailTemplate.objects.get(code=code, locale=locale)
            context = merge_context(
                base_context(),
                {
                    **ORDER_CONTEXT,
                    "customer": {
                        "first_name": "Maria",
                        "name": "Maria Santos",
                        "member_id": "M0000042",
                    },
                    "reset": {"url": "https://x.example/r/1", "expires_hours": 2},
                },
            )
            out = message_render(
                code=code, subject=t.subject, text=t.text_body, html=t.html_body, context=context
            )
            assert "Maria" in out.text and out.subject and "<p>" in out.html
            assert "{{" not in out.text and "{%" not in out.html
    # Other apps seed their own codes (e.g. the inbox's ticket emails) beside these.
    assert EmailTemplate.objects.filter(code__in=TemplateCode.values).count() == 2 * len(
        TemplateCode.values
    )


def test_loop_variables_and_documented_variables_are_allowed(manager):
    template = EmailTemplate.objects.get(code="send_update", locale="en")
    saved = email_template_update(
        actor=manager,
        template=template,
        expected_version=1,
        subject="Order {{ order.number }}",
        text_body=(
            "{% for step in order.timeline %}{{ forloop.counter }} {{ step.text }}{% endfor %}"
        ),
        html_body="<p>{{ customer.first_name|default:'there' }}</p>",
    )
    assert saved.version == 2
    assert saved.updated_by == manager


def test_html_is_autoescaped_but_text_is_not():
    out = message_render(
        code="free_text",
        subject="Hi {{ customer.name }}",
        text="Dear {{ customer.name }}",
        html="<p>Dear {{ customer.name }}</p>",
        context={"customer": {"name": "Tom & <Jerry>"}},
    )
    assert out.html == "<p>Dear Tom &amp; &lt;Jerry&gt;</p>"
    assert out.text == "Dear Tom & <Jerry>"
    assert out.subject == "Hi Tom & <Jerry>"


def test_stale_template_edit_is_refused(manager):
    template = EmailTemplate.objects.get(code="free_text", locale="fil")
    with pytest.raises(StaleVersion):
        email_template_update(
            actor=manager,
            template=template,
            expected_version=99,
            subject="x",
            text_body="y",
            html_body="",
        )


def test_csr_may_not_edit_templates(csr):
    template = EmailTemplate.objects.get(code="free_text", locale="en")
    with pytest.raises(NotAllowed):
        email_template_update(
            actor=csr,
            template=template,
            expected_version=1,
            subject="x",
            text_body="y",
            html_body="",
        )


def test_missing_locale_falls_back_to_english():
    EmailTemplate.objects.filter(code="password_reset", locale="fil").delete()
    assert template_for("password_reset", "fil").locale == "en"
    assert template_for("order_confirmation", "fil").locale == "fil"
    assert template_for("order_confirmation", "xx").locale == "en"


def test_every_template_code_documents_its_variables():
    assert set(VARIABLES) >= set(TemplateCode.values)  # plus codes other apps register
    assert "order.lines" in VARIABLES["order_confirmation"]
    assert "reset.url" in VARIABLES["password_reset"]
