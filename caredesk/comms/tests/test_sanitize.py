"""The one allow-list for HTML written in the compose editor, and where it is applied."""

import pytest

from caredesk.comms.models import OutboundMessage, TemplateCode
from caredesk.comms.rendering import VARIABLES, template_variables
from caredesk.comms.sanitize import EDITOR_ALLOW, TAGS, html_clean, link_allowed
from caredesk.comms.tests.test_services import compose


def test_clean_keeps_formatting_and_drops_everything_else():
    dirty = (
        '<p onclick="steal()">Hi <strong>Ana</strong> <em>and</em> <b>B</b> <i>I</i><br></p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol>"
        "<script>alert(1)</script><style>p{}</style>"
        '<img src="x" onerror="alert(1)"><iframe src="https://evil.example"></iframe>'
        '<div style="color:red" class="x">kept text</div>'
    )
    clean = html_clean(dirty)
    assert clean == (
        "<p>Hi <strong>Ana</strong> <em>and</em> <b>B</b> <i>I</i><br></p>"
        "<ul><li>one</li></ul><ol><li>two</li></ol>kept text"
    )


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "/relative/path",
        "//evil.example/",
        "{{ order.tracking_url }}",  # only in template source
    ],
)
def test_clean_drops_links_that_are_not_web_or_mail_addresses(href):
    clean = html_clean(f'<a href="{href}" onmouseover="x()">link</a>')
    assert "href" not in clean and "onmouseover" not in clean
    assert clean == '<a rel="noopener">link</a>'


def test_clean_keeps_web_and_mail_links_with_noopener():
    assert html_clean('<a href="https://caredesk.example/t/1" target="_blank">t</a>') == (
        '<a href="https://caredesk.example/t/1" rel="noopener">t</a>'
    )
    assert html_clean('<a href="mailto:help@example.ph">m</a>') == (
        '<a href="mailto:help@example.ph" rel="noopener">m</a>'
    )
    assert link_allowed("http://example.ph") and not link_allowed("ftp://example.ph")


def test_template_source_may_link_to_exactly_one_variable():
    src = '<a href="{{ order.tracking_url }}">Track</a> {{ customer.first_name|default:"po" }}'
    assert html_clean(src, template=True) == (
        '<a href="{{ order.tracking_url }}" rel="noopener">Track</a> '
        '{{ customer.first_name|default:"po" }}'
    )
    assert "href" not in html_clean('<a href="{{ a }}{{ b }}">x</a>', template=True)


def test_the_browser_editor_reads_the_same_allow_list():
    assert set(EDITOR_ALLOW["tags"]) == TAGS
    assert EDITOR_ALLOW["attributes"] == {"a": ["href"]}
    assert EDITOR_ALLOW["schemes"] == ["http:", "https:", "mailto:"]


def test_sent_html_is_cleaned_and_its_text_part_derived_from_it(csr, customer):
    message = compose(
        csr,
        customer,
        body_format="html",
        body=(
            "<p>Hi <strong>{{ customer.first_name }}</strong>"
            '<img src=x onerror="alert(1)"></p><script>alert(2)</script>'
            '<p><a href="javascript:alert(3)">click</a> or '
            '<a href="https://caredesk.example/help">help</a></p>'
        ),
    )
    assert message.html_body == (
        "<p>Hi <strong>Ana</strong></p>"
        '<p><a rel="noopener">click</a> or '
        '<a href="https://caredesk.example/help" rel="noopener">help</a></p>'
    )
    assert message.text_body == "Hi Ana\nclick or help (https://caredesk.example/help)\n"
    assert "alert" not in message.html_body + message.text_body


def test_a_variable_that_renders_into_a_bad_link_is_cleaned_after_rendering(csr, customer_factory):
    tricky = customer_factory(first_name="javascript:alert(1)")
    message = compose(
        csr, tricky, body_format="html", body='<p><a href="{{ customer.first_name }}">x</a></p>'
    )
    assert message.html_body == '<p><a rel="noopener">x</a></p>'


def test_an_editor_body_with_no_words_is_refused(csr, customer):
    from caredesk.lib.errors import Invalid

    with pytest.raises(Invalid) as refused:
        compose(csr, customer, body_format="html", body="<p><br></p><script>x</script>")
    assert refused.value.field == "body"
    assert not OutboundMessage.objects.exists()


def test_picker_variables_come_from_the_documented_list():
    for code in TemplateCode.values:
        offered = {v.name for v in template_variables(code)}
        assert offered <= set(VARIABLES[code])
        assert set(VARIABLES[code]) - offered <= {"order.lines", "order.timeline"}
    names = {v.name: v for v in template_variables("order_confirmation")}
    assert names["order.number"].label == "Order number"
    assert names["order.number"].tag == "{{ order.number }}"
    assert names["order.date"].tag == "{{ order.date|date:'j F Y' }}"


def test_a_newly_documented_variable_is_offered_on_compose(monkeypatch, web_for, csr, customer):
    monkeypatch.setitem(
        VARIABLES, "free_text", {**VARIABLES["free_text"], "customer.nickname": "Nickname"}
    )
    html = web_for(csr).get(f"/compose/?customer={customer.member_id}").content.decode()
    for variable in template_variables("free_text"):
        assert f'data-insert-tag="{variable.tag}"' in html.replace("&#x27;", "'")
    assert ">Nickname</button>" in html


def test_template_list_shows_names_and_example_subjects_not_codes(
    web_for, manager, django_assert_max_num_queries
):
    client = web_for(manager)
    client.get("/email-templates/")  # warm the session and permission caches
    with django_assert_max_num_queries(5):
        html = client.get("/email-templates/").content.decode()
    assert "Order confirmation" in html and "Ticket received" in html and "Filipino" in html
    assert "order_confirmation" not in html.replace("/email-templates/order_confirmation/", "")
    assert "ticket_received" not in html.replace("/email-templates/ticket_received/", "")
    assert "{{" not in html and "SO-2026-00042" in html
