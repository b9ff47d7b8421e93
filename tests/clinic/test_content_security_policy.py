"""The Content-Security-Policy header, and templates that need no exception to it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.test import Client
from django.urls import reverse

from clinic import roles
from clinic.services import evidence as evidence_service
from clinic.templatetags.clinic_tags import pct
from tests.factories import audit_with_representative, make_user
from tests.services import ROOT

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Inline code or looks the policy blocks: style attributes and blocks, scripts without src,
# event handler attributes (onclick=, onchange=, ...).
INLINE = re.compile(r"\sstyle\s*=|<style|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=", re.I)


def directives(header):
    """The policy as {directive: sources}: the order of directives carries no meaning."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def test_login_page_sends_exactly_the_policy(client):
    response = client.get(reverse("login"))
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert INLINE.findall(response.content.decode()) == []
    assert directives(response["Content-Security-Policy"]) == directives(POLICY)


def test_my_tasks_page_sends_exactly_the_policy(client):
    client.force_login(make_user(roles.OFFICER))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == directives(POLICY)


def test_csrf_failure_shows_our_page_without_inline_style():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x"})
    assert response.status_code == 403
    assert [template.name for template in response.templates][:2] == ["403_csrf.html", "base.html"]
    assert INLINE.findall(response.content.decode()) == []
    assert directives(response["Content-Security-Policy"]) == directives(POLICY)


def test_bad_request_shows_our_page_without_inline_style(client):
    response = client.get(reverse("login"), headers={"host": "unknown.example"})
    assert response.status_code == 400
    assert [template.name for template in response.templates][:2] == ["400.html", "base.html"]
    assert INLINE.findall(response.content.decode()) == []


def test_evidence_file_keeps_its_sandbox_policy(client):
    audit, representative = audit_with_representative()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    evidence = evidence_service.add_evidence(
        representative, audit, 1, SimpleUploadedFile("a.pdf", pdf)
    )
    client.force_login(representative)
    response = client.get(reverse("ipaudit:evidence", args=[evidence.pk]))
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_templates_have_no_inline_style_script_or_handler():
    templates = sorted(ROOT.glob("templates/**/*.html")) + sorted(
        ROOT.glob("*/templates/**/*.html")
    )
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in templates
        for match in INLINE.finditer(path.read_text())
    ]
    assert len(templates) > 100
    assert found == []


def test_inline_pattern_finds_each_kind_of_inline_code():
    samples = [
        '<div style="width: 5%">',
        "<style>p {}</style>",
        "<script>alert(1)</script>",
        '<select onchange="this.form.submit()">',
        '<form method="post" onsubmit="return confirm()">',
    ]
    allowed = ['<script src="/static/js/clinic.js"></script>', '<div hx-on="x" data-style="y">']
    assert [bool(INLINE.search(sample)) for sample in samples + allowed] == [True] * 5 + [False] * 2


def test_pct_gives_a_whole_percentage_from_0_to_100():
    values = [0, 37, 37.5, 99.4, 100, 250, -3, None, ""]
    assert [pct(value) for value in values] == [0, 37, 38, 99, 100, 100, 0, 0, 0]


def test_progress_bar_width_is_a_class_of_the_stylesheet():
    template = engines["django"].from_string(
        '{% load clinic_tags %}<div class="progress-bar w-pct-{{ done|pct }}"></div>'
    )
    stylesheet = (ROOT / "static/css/clinic.css").read_text()
    assert template.render({"done": 62.6}) == '<div class="progress-bar w-pct-63"></div>'
    assert ".w-pct-63 { width: 63%; }" in stylesheet
    assert ".start-pct-100 { left: 100%; }" in stylesheet
