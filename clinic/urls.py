from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView

from cohorts.flows import ApplicationFlow, SelectionFlow

from .views import accounts, api_tokens, companies, outbox, search, worklist

public = login_not_required

account_patterns = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("signup/", accounts.SignUpView.as_view(), name="signup"),
    path("tokens/", api_tokens.token_list, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", api_tokens.token_revoke, name="api_token_revoke"),
    path("verify/<str:token>/", accounts.verify_email, name="verify_email"),
    path("verify/", accounts.resend_verification, name="resend_verification"),
    path(
        "join/<str:token>/",
        accounts.AcceptCompanyInvitationView.as_view(),
        name="accept_company_invitation",
    ),
    path(
        "company/",
        TemplateView.as_view(template_name="registration/no_company.html"),
        name="no_company",
    ),
    path(
        "privacy/",
        public(TemplateView.as_view(template_name="registration/privacy.html")),
        name="privacy",
    ),
]

user_patterns = [
    path("", accounts.user_list, name="user_list"),
    path("invite/", accounts.invite_user, name="user_invite"),
    path("<int:pk>/", accounts.user_detail, name="user_detail"),
    path("<int:pk>/roles/", accounts.change_roles, name="user_roles"),
    path("<int:pk>/active/", accounts.set_active, name="user_active"),
]

company_patterns = [
    path("", companies.company_list, name="company_list"),
    path("<int:pk>/", companies.company_detail, name="company_detail"),
    path("<int:pk>/edit/", companies.company_edit, name="company_edit"),
    path("<int:pk>/invite/", companies.invite_representative, name="company_invite"),
]

outbox_patterns = [
    path("", outbox.outbox_list, name="outbox_list"),
    path("<int:pk>/", outbox.outbox_detail, name="outbox_detail"),
    path("<int:pk>/retry/", outbox.outbox_retry, name="outbox_retry"),
]

urlpatterns = [
    path("", worklist.MyTasksView.as_view(), name="home"),
    path("search/", search.search_page, name="search"),
    path("language/", accounts.switch_language, name="switch_language"),
    path("accounts/", include(account_patterns)),
    path("users/", include(user_patterns)),
    path("companies/", include(company_patterns)),
    path("outbox/", include(outbox_patterns)),
    path("cohorts/", include("cohorts.urls")),
    path("ip/", include("clinic.urls_ipaudit")),
    path("mentoring/", include("mentoring.urls")),
    path("events/", include("mentoring.events.urls")),
    path("matchmaking/", include("mentoring.matchmaking.urls")),
    path("applications/flow/", ApplicationFlow.instance.urls),
    path("selection/flow/", SelectionFlow.instance.urls),
    path("api/", include("clinic.api.urls")),
    path("admin/", admin.site.urls),
]
