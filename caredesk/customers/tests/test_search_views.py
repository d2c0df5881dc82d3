"""The Customers page, the type-ahead fragment, and the snapshot link."""

import pytest
from django.urls import reverse

from .search_fixtures import make_customer, population

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return population()


@pytest.fixture
def web(web_for, csr):
    return web_for(csr)


def test_instant_fragment_lists_links_to_the_snapshot(web, people):
    response = web.get(reverse("customers:instant"), {"q": "dela"})
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("customers:snapshot", args=[people["juan"].member_id]) in html
    assert "0917 123 4567" in html and "Manila" in html
    assert 'class="instant-list"' in html


def test_instant_fragment_says_when_nothing_matches(web, people):
    html = web.get(reverse("customers:instant"), {"q": "zzzz"}).content.decode()
    assert "No customer matches" in html


def test_enter_opens_the_full_results_page(web, people):
    response = web.get(reverse("customers:search"), {"q": "anders"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Andersen" in html and "Anderson" in html
    assert "best matches first" in html


def test_advanced_search_results_table(web, people):
    response = web.get(reverse("customers:search"), {"last_name": "Anders%"})
    html = response.content.decode()
    assert "<strong>3</strong> customers match" in html
    # The account tone of customers.policy, the same as on the snapshot.
    assert 'class="badge warn">Closed' in html and 'class="badge ok">Open' in html


def test_leading_wildcard_shows_the_validation_message_on_the_field(web, people):
    response = web.get(reverse("customers:search"), {"last_name": "%son"})
    assert response.status_code == 400
    assert "Last name cannot start with %" in response.content.decode()


def test_company_without_type_shows_a_message(web, people):
    response = web.get(
        reverse("customers:search"),
        {"company": "Golden%"},
        headers={"HX-Request": "true", "HX-Target": "search-area"},
    )
    assert response.status_code == 200  # htmx swaps only 2xx: the fragment carries the error
    assert "needs at least one account type" in response.content.decode()


def test_htmx_requests_get_fragments(web, people):
    results = web.get(
        reverse("customers:search"),
        {"q": "anders"},
        headers={"HX-Request": "true", "HX-Target": "search-results"},
    ).content.decode()
    assert "<html" not in results and "Andersen" in results
    area = web.get(
        reverse("customers:search"),
        {"last_name": "Anders%"},
        headers={"HX-Request": "true", "HX-Target": "search-area"},
    ).content.decode()
    assert area.lstrip().startswith('<div id="search-area">')


def test_sorting_and_pages(web, people):
    for n in range(30):
        make_customer(first_name=f"Person{n:02d}", last_name="Andrada")
    response = web.get(reverse("customers:search"), {"last_name": "Andrada", "sort": "-activity"})
    html = response.content.decode()
    assert "Page 1 of 2" in html and "Next" in html
    second = web.get(reverse("customers:search"), {"last_name": "Andrada", "page": 2})
    assert "Page 2 of 2" in second.content.decode()


def test_snapshot_link_target_renders_the_customer(web, people):
    response = web.get(reverse("customers:snapshot", args=[people["shop"].member_id]))
    assert response.status_code == 200 and "Golden Hardware" in response.content.decode()
    assert web.get(reverse("customers:snapshot", args=["M9999999"])).status_code == 404


def test_page_needs_the_search_capability(web_for, installer):
    assert web_for(installer).get(reverse("customers:search")).status_code == 403


def test_query_counts_of_the_search_page(web, people, django_assert_max_num_queries):
    for n in range(30):
        make_customer(first_name=f"Person{n:02d}", last_name="Andrada", phone="+639171230000")
    with django_assert_max_num_queries(9):
        assert web.get(reverse("customers:search"), {"last_name": "Andrada"}).status_code == 200
    with django_assert_max_num_queries(9):
        assert web.get(reverse("customers:search"), {"q": "andrada"}).status_code == 200
    with django_assert_max_num_queries(9):
        assert web.get(reverse("customers:instant"), {"q": "0917 123"}).status_code == 200


def test_a_match_on_an_additional_phone_says_so(web, people):
    from caredesk.customers.models import ContactPoint
    from caredesk.customers.search import search_keys_refresh

    santos = people["santos"]
    ContactPoint.objects.create(customer=santos, kind="phone", value="+639285550101", label="work")
    search_keys_refresh(santos)
    html = web.get(reverse("customers:instant"), {"q": "0928 555 0101"}).content.decode()
    assert santos.member_id in html and "also 0928 555 0101 (work)" in html
    page = web.get(reverse("customers:search"), {"q": "0928 555 0101"}).content.decode()
    assert "also 0928 555 0101 (work)" in page
