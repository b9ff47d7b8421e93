from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import permissions, ratelimit, todos
from ..forms import CompanyFilterForm, CompanyForm, RepresentativeInviteForm
from ..services import accounts, audit
from ..text_search import matching, natural
from ..transitions import Refused
from ..versioning import save_current

COMPANY_ORDERINGS = {
    "name": natural("legal_name"),
    "-name": natural("legal_name", descending=True),
    "employees": "employees",
    "-employees": "-employees",
    "founded": "founding_year",
    "-founded": "-founding_year",
    "region": "region",
    "-region": "-region",
}
COMPANY_FIELDS = ["legal_name", "local_name", "registration_number", "city"]


@require_safe
def company_list(request):
    """Officers: every company with filters, search, ordering and pagination."""
    if not permissions.is_officer(request.user):
        companies = list(permissions.visible_companies(request.user)[:2])
        if len(companies) == 1:
            return redirect("company_detail", pk=companies[0].pk)
        if not companies:
            if todos.join_company(request.user):  # the nav's "My company" of a verified SME
                return redirect("no_company")
            raise Http404
    companies = permissions.visible_companies(request.user)
    form = CompanyFilterForm(request.GET or None)
    ordering = request.GET.get("order", "name")
    order = (COMPANY_ORDERINGS.get(ordering, COMPANY_ORDERINGS["name"]), "pk")
    data = form.cleaned_data if form.is_valid() else {}
    companies = filter_companies(companies, data, order)
    page = Paginator(companies, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "clinic/company_list.html",
        {"page": page, "filter_form": form, "ordering": ordering},
    )


def filter_companies(companies, data, order):
    """The companies the filter form's ``data`` asks for, in ``order`` (best match first)."""
    companies = matching(companies, data.get("q"), COMPANY_FIELDS, order=order)
    if data.get("green_area"):
        companies = companies.filter(green_area=data["green_area"])
    if data.get("size_class"):
        companies = companies.filter(size_class=data["size_class"])
    if data.get("region"):
        companies = companies.filter(region__icontains=data["region"])
    return companies


def visible_company(request, pk):
    return get_object_or_404(
        permissions.visible_companies(request.user).prefetch_related("representatives"), pk=pk
    )


@require_safe
def company_detail(request, pk):
    company = visible_company(request, pk)
    # An assigned expert sees the profile; its history and open invitations (addresses) are the
    # company's and the officers' only.
    own = permissions.can_invite_representative(request.user, company)
    return render(
        request,
        "clinic/company_detail.html",
        {
            "company": company,
            "can_edit": permissions.can_edit_company(request.user, company),
            "invite_form": RepresentativeInviteForm(),
            "show_history": own,
            "history": audit.history(company)[:50] if own else [],
            "invitations": company.invitations.filter(accepted_at=None) if own else [],
        },
    )


def company_edit(request, pk):
    company = visible_company(request, pk)
    if not permissions.can_edit_company(request.user, company):
        raise Http404
    form = CompanyForm(request.POST or None, instance=company, actor=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_current(
            form,
            lambda: accounts.update_company(
                request.user, form.save(commit=False), form.changed_data
            ),
        )
    ):
        messages.success(request, _("Company profile saved."))
        return redirect("company_detail", pk=company.pk)
    context = {"form": form, "company": company}
    return render(request, "clinic/company_form.html", context, status=form.status)


def invite_representative(request, pk):
    company = visible_company(request, pk)
    if not permissions.can_invite_representative(request.user, company):
        raise Http404
    form = RepresentativeInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.invite_representative(request.user, company, form.cleaned_data["email"])
        except Refused as error:
            raise Http404 from error
        except ratelimit.RateLimited as refusal:
            context = {"form": form, "company": company}
            return ratelimit.too_many_requests(
                request, refusal, "clinic/company_invite.html", context
            )
        messages.success(
            request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        )
        return redirect("company_detail", pk=company.pk)
    return render(request, "clinic/company_invite.html", {"form": form, "company": company})
