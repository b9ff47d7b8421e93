"""URLs of matchmaking (namespace ``matchmaking``)."""

from django.urls import path

from .views import home, introductions, listings, partners

app_name = "matchmaking"

urlpatterns = [
    path("", home.home, name="home"),
    path("technologies/", listings.technology_list, name="technologies"),
    path("technologies/new/<int:company_pk>/", listings.technology_edit, name="technology_new"),
    path("technologies/<int:pk>/", listings.technology_detail, name="technology"),
    path("technologies/<int:pk>/edit/", listings.technology_edit, name="technology_edit"),
    path("technologies/<int:pk>/<slug:action>/", listings.technology_move, name="technology_move"),
    path("needs/", listings.need_list, name="needs"),
    path("needs/new/", listings.need_edit, name="need_new"),
    path("needs/<int:pk>/", listings.need_detail, name="need"),
    path("needs/<int:pk>/edit/", listings.need_edit, name="need_edit"),
    path("needs/<int:pk>/<slug:action>/", listings.need_move, name="need_move"),
    path("partners/", partners.partner_list, name="partners"),
    path("partners/new/", partners.partner_edit, name="partner_new"),
    path("partners/register/", partners.partner_register, name="partner_register"),
    path("partners/join/<str:token>/", partners.accept_invitation, name="join"),
    path("partners/<int:pk>/", partners.partner_detail, name="partner"),
    path("partners/<int:pk>/edit/", partners.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/invite/", partners.partner_invite, name="partner_invite"),
    path("partners/<int:pk>/<slug:decision>/", partners.partner_decide, name="partner_decide"),
    path("introductions/", introductions.introduction_list, name="introductions"),
    path("introductions/propose/", introductions.propose, name="propose"),
    path("introductions/<int:pk>/", introductions.introduction_detail, name="introduction"),
    path("introductions/<int:pk>/accept/", introductions.accept, name="accept"),
    path("introductions/<int:pk>/meeting/", introductions.meeting, name="meeting"),
    path("introductions/<int:pk>/meeting/held/", introductions.meeting_held, name="meeting_held"),
    path("introductions/<int:pk>/meeting.ics", introductions.meeting_ics, name="meeting_ics"),
    path("introductions/<int:pk>/mou/", introductions.mou, name="mou"),
    path("introductions/<int:pk>/mou.pdf", introductions.mou_document, name="mou_document"),
    path("introductions/<int:pk>/deployment/", introductions.deployment, name="deployment"),
    path("introductions/<int:pk>/close/", introductions.close, name="close"),
    path("wipo-green/", home.wipo_bridge, name="wipo"),
    path("wipo-green/export.<slug:fmt>", home.export, name="export"),
]
