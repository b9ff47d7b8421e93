"""Partners (self-registration and approval, invitations) and the WIPO GREEN bridge."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clinic import roles
from clinic.models import AuditLog, OutboxMessage, User
from clinic.transitions import Refused
from mentoring.matchmaking.models import ExternalListing, PartnerInvitation, PartnerOrganisation
from mentoring.matchmaking.services import matching, partners, wipo

from .helpers import asset, need, officer, partner, sme, technology

pytestmark = pytest.mark.django_db
SAMPLE = Path(settings.BASE_DIR) / "docs" / "wipo-green-sample.csv"


def _registration():
    return {
        "person-email": "rep@city.example.org",
        "person-first_name": "Li",
        "person-last_name": "Wei",
        "person-preferred_language": "zh-hans",
        "person-password1": "Gr33n-Partner-2026!",
        "person-password2": "Gr33n-Partner-2026!",
        "person-privacy_consent": "on",
        "org-kind": "city",
        "org-name": "Xicheng District",
        "org-name_zh": "西城区",
        "org-country": "CN",
        "org-region": "Beijing",
        "org-offers": "Pilot sites",
        "org-offers_zh": "",
        "org-website": "",
        "org-contact_email": "",
    }


def test_self_registered_partner_sees_nothing_until_an_officer_approves(client):
    staff = officer()
    approved_company, rep = sme()
    technology(approved_company, rep, state="approved", staff=staff)
    response = client.post(reverse("matchmaking:partner_register"), _registration())
    assert response.status_code == 200
    user = User.objects.get(email="rep@city.example.org")
    organisation = PartnerOrganisation.objects.get(name="Xicheng District")
    assert (organisation.state, list(user.groups.values_list("name", flat=True))) == (
        "pending",
        [roles.PARTNER],
    )
    assert OutboxMessage.objects.filter(recipient=staff, kind="matchmaking_partner").exists()
    client.force_login(user)
    assert client.get(reverse("matchmaking:technologies")).status_code == 404
    partners.decide(staff, organisation, approve=True)
    assert client.get(reverse("matchmaking:technologies")).status_code == 200
    mail = OutboxMessage.objects.get(recipient=user, kind="matchmaking_partner")
    assert mail.language == "zh-hans"


def test_only_officers_approve_partners_and_add_organisations(client):
    organisation, user = partner(state=PartnerOrganisation.State.PENDING)
    with pytest.raises(Refused):
        partners.decide(user, organisation, approve=True)
    client.force_login(user)
    assert client.get(reverse("matchmaking:partner_new")).status_code == 404
    response = client.post(reverse("matchmaking:partner_decide", args=[organisation.pk, "approve"]))
    assert response.status_code == 404


def test_officer_invites_a_representative_who_joins_with_the_partner_role(client):
    organisation, _user = partner()
    staff = officer()
    client.force_login(staff)
    client.post(
        reverse("matchmaking:partner_invite", args=[organisation.pk]),
        {"email": "new@utility.example.org", "language": "en"},
    )
    invitation = PartnerInvitation.objects.get(email="new@utility.example.org")
    mail = OutboxMessage.objects.get(to_email="new@utility.example.org")
    assert (mail.sensitive, invitation.token in mail.body) == (True, True)
    client.logout()
    url = reverse("matchmaking:join", args=[invitation.token])
    client.post(
        url,
        {
            "first_name": "A",
            "last_name": "B",
            "preferred_language": "en",
            "password1": "Gr33n-Partner-2026!",
            "password2": "Gr33n-Partner-2026!",
            "privacy_consent": "on",
        },
    )
    newcomer = User.objects.get(email="new@utility.example.org")
    assert (
        organisation.representatives.filter(pk=newcomer.pk).exists(),
        newcomer.groups.filter(name=roles.PARTNER).exists(),
    ) == (True, True)
    assert client.get(url).status_code == 404  # used


def test_representatives_of_a_partner_show_only_to_officers_and_colleagues(client):
    organisation, user = partner()
    company, rep = sme()
    client.force_login(rep)
    page = client.get(reverse("matchmaking:partner", args=[organisation.pk])).content.decode()
    assert user.email not in page
    client.force_login(user)
    page = client.get(reverse("matchmaking:partner", args=[organisation.pk])).content.decode()
    assert user.email in page


def test_export_holds_approved_technologies_and_open_needs_only_without_asset_details():
    staff = officer()
    company, rep = sme()
    shown = technology(company, rep, state="approved", staff=staff, title="=HYPERLINK(x)")
    shown.assets.set([asset(company)])
    technology(company, rep, title="Draft only")
    organisation, owner = partner()
    need(organisation, owner, staff=staff)
    need(organisation, owner, state="draft", title="Draft need")
    content = wipo.to_csv(wipo.exportable(staff)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [(r["Type"], r["Title"]) for r in rows] == [
        ("technology", "'=HYPERLINK(x)"),
        ("need", "Air pollution control"),
    ]
    assert (rows[0]["IP status"], "CN2024123456" in content, "Secret" in content) == (
        "Patent (CN, filed)",
        False,
        False,
    )
    payload = json.loads(wipo.to_json(wipo.exportable(staff)))
    assert [r["Title (Chinese)"] for r in payload["listings"]] == [
        "锅炉烟气催化过滤器",
        "大气污染治理",
    ]
    with pytest.raises(Refused):
        wipo.exportable(rep)


def test_import_of_the_sample_file_is_matched_against_local_needs_and_safe_to_repeat(client):
    staff = officer()
    organisation, owner = partner()
    challenge = need(
        organisation,
        owner,
        staff=staff,
        summary="Remove particulate dust (PM2.5) from small coal boilers",
    )
    client.force_login(staff)
    upload = SimpleUploadedFile("sample.csv", SAMPLE.read_bytes(), content_type="text/csv")
    client.post(reverse("matchmaking:wipo"), {"file": upload})
    assert ExternalListing.objects.count() == 4
    rows = wipo.parse(SAMPLE.name, SAMPLE.read_bytes())
    records = AuditLog.objects.filter(action="wipo_green_import").count()
    assert wipo.import_rows(staff, rows) == (0, 0, 0)  # the same file again changes nothing
    assert AuditLog.objects.filter(action="wipo_green_import").count() == records
    rows[0]["Title"] = "A better title"
    assert wipo.import_rows(staff, rows) == (0, 1, 0)
    best = matching.technologies_for(challenge)[0]
    assert (best.external, best.listing.external_id) == (True, "WG-SAMPLE-T1")


def test_an_unreadable_import_is_refused_and_a_stranger_cannot_import(client):
    with pytest.raises(Refused):
        wipo.parse("x.json", b"{not json")
    _company, rep = sme()
    client.force_login(rep)
    assert client.get(reverse("matchmaking:wipo")).status_code == 404
    assert client.get(reverse("matchmaking:export", args=["csv"])).status_code == 404
