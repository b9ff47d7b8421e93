"""URLs of the IP audit, questionnaire versions and IP asset register (namespace ``ipaudit``)."""

from django.urls import path

from .views import assets as asset_views
from .views import evidence, ipaudit, ipaudit_sections, questionnaires

app_name = "ipaudit"

urlpatterns = [
    path("audits/", ipaudit.audit_list, name="list"),
    path("audits/<int:pk>/", ipaudit.audit_detail, name="detail"),
    path(
        "audits/<int:pk>/section/<int:dimension>/", ipaudit_sections.audit_section, name="section"
    ),
    path("audits/<int:pk>/answer/", ipaudit_sections.autosave, name="autosave"),
    path(
        "audits/<int:pk>/section/<int:dimension>/evidence/",
        evidence.evidence_upload,
        name="evidence_upload",
    ),
    path("audits/<int:pk>/submit/", ipaudit.audit_submit, name="submit"),
    path("audits/<int:pk>/return/", ipaudit.audit_return, name="return"),
    path("audits/<int:pk>/rounds/<int:number>/", ipaudit.audit_round, name="round"),
    path("evidence/<int:pk>/", evidence.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", evidence.evidence_delete, name="evidence_delete"),
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:pk>/", questionnaires.questionnaire_detail, name="questionnaire"),
    path(
        "questionnaires/<int:pk>/edit/",
        questionnaires.questionnaire_edit,
        name="questionnaire_edit",
    ),
    path(
        "questionnaires/<int:pk>/publish/",
        questionnaires.questionnaire_publish,
        name="questionnaire_publish",
    ),
    path(
        "questionnaires/<int:pk>/discard/",
        questionnaires.questionnaire_discard,
        name="questionnaire_discard",
    ),
    path(
        "questionnaires/<int:pk>/download/",
        questionnaires.questionnaire_download,
        name="questionnaire_download",
    ),
    path("companies/<int:pk>/assets/", asset_views.asset_list, name="assets"),
    path("companies/<int:pk>/assets/add/", asset_views.asset_form, name="asset_add"),
    path("companies/<int:pk>/assets/<int:asset_pk>/", asset_views.asset_form, name="asset_edit"),
    path(
        "companies/<int:pk>/assets/<int:asset_pk>/delete/",
        asset_views.asset_delete,
        name="asset_delete",
    ),
    path("companies/<int:pk>/assets/import/", asset_views.asset_import, name="asset_import"),
    path("companies/<int:pk>/assets/export/", asset_views.asset_export, name="asset_export"),
    path("companies/<int:pk>/assets/template/", asset_views.asset_template, name="asset_template"),
]
