"""Technologies and needs: the approval flow, audit and mail, and who sees and edits what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from clinic.transitions import Refused
from mentoring.matchmaking.models import Need, PartnerOrganisation, Technology
from mentoring.matchmaking.services import listings
from tests.factories import make_user

from .helpers import assert_chinese, asset, need, officer, partner, sme, technology

pytestmark = pytest.mark.django_db


def test_technology_submitted_then_approved_is_audited_and_mailed_in_each_language():
    company, rep = sme()
    staff = officer(preferred_language="zh-hans")
    item = technology(company, rep)
    assert listings.move_listing(rep, item, "submit") is True
    mail = OutboxMessage.objects.get(recipient=staff, kind="matchmaking_listing")
    assert (mail.language, item.title_zh in mail.subject) == ("zh-hans", True)
    assert listings.move_listing(staff, item, "approve") is True
    records = AuditLog.objects.for_object(item).order_by("pk")
    assert [(r.action, r.from_state, r.to_state) for r in records][1:] == [
        ("submit", "draft", "submitted"),
        ("approve", "submitted", "approved"),
    ]
    assert OutboxMessage.objects.filter(recipient=rep, kind="matchmaking_listing").count() == 1
    assert_chinese(mail.subject, "For approval: %(title)s", "待审批：")


def test_approving_twice_changes_nothing_the_second_time():
    company, rep = sme()
    staff = officer()
    item = technology(company, rep, state="submitted")
    assert listings.move_listing(staff, item, "approve") is True
    assert listings.move_listing(staff, item, "approve") is False
    assert AuditLog.objects.for_object(item).filter(action="approve").count() == 1


def test_returned_technology_carries_the_comment_and_can_be_edited_and_resubmitted(client):
    company, rep = sme()
    item = technology(company, rep, state="submitted")
    with pytest.raises(Refused):
        listings.move_listing(officer(), item, "return", "")
    listings.move_listing(officer(), item, "return", "Add the TRL evidence")
    item.refresh_from_db()
    assert (item.state, item.return_comment) == ("returned", "Add the TRL evidence")
    client.force_login(rep)
    page = client.get(reverse("matchmaking:technology", args=[item.pk])).content.decode()
    assert "Add the TRL evidence" in page
    response = client.get(reverse("matchmaking:technology_edit", args=[item.pk]))
    assert response.status_code == 200
    assert listings.move_listing(rep, item, "submit") is True


def test_sme_cannot_approve_its_own_technology():
    company, rep = sme()
    item = technology(company, rep, state="submitted")
    with pytest.raises(Refused) as refusal:
        listings.move_listing(rep, item, "approve")
    assert refusal.value.status == 403


def test_only_a_participating_companys_representatives_publish_technologies():
    from tests.factories import company_with_representative

    company, rep = company_with_representative()
    with pytest.raises(Refused):
        technology(company, rep)


def test_sme_edits_only_its_own_technologies(client):
    company, rep = sme()
    _other_company, other = sme()
    item = technology(company, rep)
    client.force_login(other)
    assert client.get(reverse("matchmaking:technology_edit", args=[item.pk])).status_code == 404
    assert client.get(reverse("matchmaking:technology", args=[item.pk])).status_code == 404
    with pytest.raises(Refused):
        listings.save_technology(other, item, ["title"])
    new = reverse("matchmaking:technology_new", args=[company.pk])
    assert client.get(new).status_code == 404


def test_approved_technology_cannot_be_edited_by_its_owner(client):
    company, rep = sme()
    item = technology(company, rep, state="approved")
    client.force_login(rep)
    assert client.get(reverse("matchmaking:technology_edit", args=[item.pk])).status_code == 404


def test_sme_creates_a_technology_through_the_page_with_its_own_assets_only(client):
    company, rep = sme()
    mine = asset(company)
    other_company, _other = sme()
    theirs = asset(other_company)
    client.force_login(rep)
    url = reverse("matchmaking:technology_new", args=[company.pk])
    data = {
        "title": "Membrane",
        "title_zh": "膜",
        "summary": "Water filter membrane.",
        "summary_zh": "",
        "green_area": "water",
        "trl": "6",
        "offers": ["licensing"],
        "regions": "China",
        "keywords": "",
        "assets": [str(theirs.pk)],
    }
    assert client.post(url, data).status_code == 200  # not a choice
    data["assets"] = [str(mine.pk)]
    response = client.post(url, data)
    item = Technology.objects.get(title="Membrane")
    assert (response.status_code, list(item.assets.all()), item.state) == (302, [mine], "draft")


def test_hand_made_request_per_role_for_a_draft_and_an_approved_technology(client):
    company, rep = sme()
    draft = technology(company, rep)
    approved = technology(company, rep, state="approved", title="Approved one")
    _org, active_partner = partner()
    _pending, pending_partner = partner(state=PartnerOrganisation.State.PENDING)
    _other_company, other_sme = sme()
    people = {
        "owner": (rep, 200, 200),
        "other sme": (other_sme, 404, 200),
        "partner": (active_partner, 404, 200),
        "pending partner": (pending_partner, 404, 404),
        "expert": (make_user(roles.EXPERT), 404, 200),
        "reviewer": (make_user(roles.REVIEWER), 404, 200),
        "officer": (officer(), 200, 200),
        "no role": (make_user(), 404, 404),
    }
    seen = {}
    for name, (user, _draft, _approved) in people.items():
        client.force_login(user)
        seen[name] = (
            user,
            client.get(reverse("matchmaking:technology", args=[draft.pk])).status_code,
            client.get(reverse("matchmaking:technology", args=[approved.pk])).status_code,
        )
    assert seen == people


def test_partner_sees_of_ip_assets_only_type_jurisdiction_and_status(client):
    company, rep = sme()
    item = technology(company, rep, state="approved")
    item.assets.set([asset(company)])
    _org, user = partner()
    client.force_login(user)
    page = client.get(reverse("matchmaking:technology", args=[item.pk])).content.decode()
    assert (
        "Patent" in page,
        "Filed / pending" in page,
        "CN2024123456" in page,
        "Secret membrane recipe" in page,
    ) == (True, True, False, False)
    client.force_login(rep)
    page = client.get(reverse("matchmaking:technology", args=[item.pk])).content.decode()
    assert ("CN2024123456" in page, "Secret membrane recipe" in page) == (True, True)


def test_partner_reaches_none_of_the_smes_other_pages(client):
    company, rep = sme()
    technology(company, rep, state="approved")
    _org, user = partner()
    client.force_login(user)
    for url in (
        reverse("company_detail", args=[company.pk]),
        reverse("ipaudit:assets", args=[company.pk]),
    ):
        assert (url, client.get(url).status_code) == (url, 404)


def test_needs_are_seen_by_others_once_approved_and_edited_by_their_partner_only(client):
    organisation, owner = partner()
    _other_org, other = partner()
    draft = need(organisation, owner, state="draft")
    open_need = need(organisation, owner, title="Open one")
    company, rep = sme()
    client.force_login(other)
    assert client.get(reverse("matchmaking:need", args=[draft.pk])).status_code == 404
    assert client.get(reverse("matchmaking:need", args=[open_need.pk])).status_code == 200
    assert client.get(reverse("matchmaking:need_edit", args=[draft.pk])).status_code == 404
    client.force_login(rep)
    assert client.get(reverse("matchmaking:need", args=[draft.pk])).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("matchmaking:need_edit", args=[draft.pk])).status_code == 200
    with pytest.raises(Refused):
        listings.save_need(other, draft, ["title"])


def need_form(organisation, **changes):
    """The new-need page's fields for a waste-sorting need of ``organisation``."""
    return {
        "partner": organisation.pk,
        "title": "Waste sorting",
        "title_zh": "垃圾分类",
        "summary": "Sort municipal waste",
        "summary_zh": "",
        "sector": "waste_circular",
        "location": "Beijing",
        "budget_min": "100",
        "budget_max": "500",
        "currency": "CNY",
        "timeframe": "short",
        "offers": ["licensing"],
        "keywords": "",
        **changes,
    }


def test_partner_posts_a_need_through_the_page_and_an_officer_approves_it(client):
    organisation, owner = partner()
    staff = officer()
    client.force_login(owner)
    response = client.post(
        reverse("matchmaking:need_new"),
        need_form(organisation, budget_max="50"),
    )
    assert response.status_code == 200  # budget upper end below lower end
    response = client.post(
        reverse("matchmaking:need_new"),
        need_form(organisation, budget_max="500"),
    )
    item = Need.objects.get(title="Waste sorting")
    assert response.status_code == 302
    client.post(reverse("matchmaking:need_move", args=[item.pk, "submit"]))
    client.post(reverse("matchmaking:need_move", args=[item.pk, "approve"]))
    item.refresh_from_db()
    assert item.state == "submitted"  # a partner cannot approve: refused
    client.force_login(staff)
    client.post(reverse("matchmaking:need_move", args=[item.pk, "approve"]))
    item.refresh_from_db()
    assert item.state == "open"


def test_list_search_finds_a_chinese_need_from_english_words(client):
    organisation, owner = partner()
    need(
        organisation,
        owner,
        title="",
        title_zh="城市垃圾分类",
        summary="",
        summary_zh="城市生活垃圾分类与资源化利用",
        sector="waste_circular",
    )
    need(
        organisation,
        owner,
        title="Solar roofs",
        title_zh="",
        summary="Photovoltaic roofs",
        summary_zh="",
        sector="renewable_energy",
    )
    client.force_login(officer())
    page = client.get(reverse("matchmaking:needs"), {"q": "waste sorting recycling"})
    titles = [str(n) for n in page.context["page"].object_list]
    assert titles == ["城市垃圾分类"]


def test_list_filters_by_area_and_state_and_orders_by_title(client):
    company, rep = sme()
    technology(company, rep, title="B water", green_area="water")
    technology(company, rep, title="A water", green_area="water", state="submitted")
    technology(company, rep, title="C air", green_area="air_pollution")
    client.force_login(officer())
    page = client.get(reverse("matchmaking:technologies"), {"area": "water", "order": "title"})
    assert [t.title for t in page.context["page"]] == ["A water", "B water"]
    page = client.get(reverse("matchmaking:technologies"), {"state": "submitted"})
    assert [t.title for t in page.context["page"]] == ["A water"]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_run_the_same_number_of_queries_for_2_and_12_rows(client):
    company, rep = sme()
    organisation, owner = partner()
    staff = officer()
    for index in range(2):
        technology(company, rep, title=f"T{index}", state="approved", staff=staff)
        need(organisation, owner, title=f"N{index}", staff=staff)
    client.force_login(staff)
    urls = [
        reverse("matchmaking:technologies"),
        reverse("matchmaking:needs"),
        reverse("matchmaking:partners"),
        reverse("matchmaking:introductions"),
        reverse("matchmaking:technologies") + "?q=filter",
    ]
    before = [_count(client, url) for url in urls]
    for index in range(10):
        other_company, other_rep = sme()
        technology(
            other_company, other_rep, title=f"More {index} filter", state="approved", staff=staff
        )
        other_org, other_owner = partner()
        need(other_org, other_owner, title=f"More {index}", staff=staff)
    assert [_count(client, url) for url in urls] == before
