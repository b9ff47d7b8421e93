"""Issue 14: the lists' search finds misspelt and partial names on PostgreSQL (pg_trgm, best
match first, GIN trigram indexes), substrings on SQLite, Chinese text on both; names sort
naturally ("Company 2" before "Company 10") on both, in the database (clinic/text_search.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic import roles
from clinic.models import Company
from clinic.search import search
from clinic.text_search import matching, natural, natural_key
from tests.factories import CompanyFactory, make_user

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's (set DATABASE_URL)"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's icontains")


def names(companies):
    return [c.legal_name for c in companies]


def test_lists_sort_names_naturally_in_both_directions(client):
    for name in ("Company 10 Ltd.", "company 2 Ltd.", "Company 1 Ltd.", "Company 3 Ltd."):
        CompanyFactory(legal_name=name)
    client.force_login(make_user(roles.OFFICER))
    page = client.get(reverse("company_list")).context["page"]
    assert names(page) == ["Company 1 Ltd.", "company 2 Ltd.", "Company 3 Ltd.", "Company 10 Ltd."]
    reverse_page = client.get(reverse("company_list"), {"order": "-name"}).context["page"]
    assert names(reverse_page)[0] == "Company 10 Ltd."
    experts = [
        make_user(roles.EXPERT, first_name="Expert", last_name=f"Rep {n}") for n in (10, 1, 2)
    ]
    listed = client.get(reverse("mentoring:experts")).context["experts"]
    assert [e.last_name for e in listed] == ["Rep 1", "Rep 2", "Rep 10"]
    assert len(experts) == 3


def test_natural_order_keeps_pagination_and_the_query_count(client):
    client.force_login(make_user(roles.OFFICER))
    url = reverse("company_list")
    for n in range(1, 4):
        CompanyFactory(legal_name=f"Firm {n}")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4, 31):
        CompanyFactory(legal_name=f"Firm {n}")
    with CaptureQueriesContext(connection) as many:
        second = client.get(url, {"page": 2}).context["page"]
    assert len(many) == len(few)
    assert names(second) == [f"Firm {n}" for n in range(26, 31)]  # 25 a page


def test_natural_key_reads_numbers_as_numbers():
    assert sorted(["a10", "A2", "a1b"], key=natural_key) == ["a1b", "A2", "a10"]


def test_chinese_text_is_found_on_either_database():
    wanted = CompanyFactory(legal_name="Blue Water Ltd.", local_name="蓝色水务有限公司")
    CompanyFactory(legal_name="Sun Power Ltd.", local_name="太阳能源有限公司")
    found = matching(Company.objects.all(), "水务", ["legal_name", "local_name"])
    assert list(found) == [wanted]


@on_sqlite
def test_on_sqlite_search_is_a_case_insensitive_substring():
    wanted = CompanyFactory(legal_name="Shenzhen Solar Ltd.")
    fields = ["legal_name"]
    assert list(matching(Company.objects.all(), "HENZHEN", fields)) == [wanted]
    assert list(matching(Company.objects.all(), "Shenzen", fields)) == []


@on_postgresql
def test_misspelt_and_partial_names_match_best_first_on_postgresql():
    solar = CompanyFactory(legal_name="Shenzhen Solar Ltd.")
    CompanyFactory(legal_name="Shenzhen Water Ltd.")
    CompanyFactory(legal_name="Beijing Membranes Ltd.")
    found = list(matching(Company.objects.all(), "Shenzen Solr", ["legal_name"]))
    assert found[0] == solar
    assert "Beijing Membranes Ltd." not in names(found)
    for city in ("Wuhan Xinyang", "Beijing Tianlan", "Shenzhen Ruineng"):
        CompanyFactory(legal_name=f"{city} Hydrogen Energy Co., Ltd.")
    hydrogen = matching(Company.objects.all(), "Beijng Hydrogn", ["legal_name", "local_name"])
    assert names(hydrogen)[0] == "Beijing Tianlan Hydrogen Energy Co., Ltd."
    officer = make_user(roles.OFFICER)
    john = make_user(roles.EXPERT, first_name="John", last_name="Miller")
    groups = {group.label: group for group in search(officer, "Jonh Miler")}
    assert groups["People"].results[0].title == john.get_full_name()
    assert search(officer, "Shenzen")[0].results[0].title.startswith("Shenzhen")


@on_postgresql
def test_the_trigram_indexes_serve_the_search_on_postgresql():
    CompanyFactory(legal_name="Shenzhen Solar Ltd.")
    query = matching(Company.objects.all(), "Shenzen", ["legal_name"])
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        threshold = cursor.fetchone()[0]
    assert "clinic_company_legal_name_trgm" in plan
    assert float(threshold) < 0.6  # pg_trgm's default would miss "Shenzen"


def test_natural_order_of_a_related_name():
    from cohorts.models import Application
    from tests.factories import ApplicationFactory, CohortFactory

    cohort = CohortFactory()
    for n in (10, 9):
        ApplicationFactory(cohort=cohort, company=CompanyFactory(legal_name=f"Co {n}"))
    ordered = Application.objects.order_by(natural("company__legal_name"))
    assert [a.company.legal_name for a in ordered] == ["Co 9", "Co 10"]
