"""Quota rules and the selection proposal (edited by officers, approved by a lead).

The selection flow's ``edit`` and ``approve`` tasks forward here (``?from=tasks``); the
services complete the flow tasks (one door), and a task done here goes back to My tasks.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from clinic.forms import whole_number
from clinic.models import GreenArea, SizeClass
from clinic.services import audit
from clinic.transitions import Refused
from clinic.versioning import save_current
from clinic.workflow import came_from_tasks

from .. import permissions, selection
from ..forms_selection import ApprovalForm, QuotaRuleForm
from ..models import (
    Cohort,
    Outcome,
    ProposalEntry,
    QuotaRule,
    SelectionProposal,
)
from ..services import proposals, publishing, quotas
from ..transitions import AWAITING_DECISION, PROPOSAL
from . import selection_cohort
from .quota_bars import composition

# --- Quota rules ------------------------------------------------------------------------------


def quota_rules(request, pk):
    """The cohort's quota rules: list, add, remove; whether they can hold together."""
    cohort = selection_cohort(request, pk)
    editing = whole_number(request.GET.get("edit") or request.POST.get("rule"))
    instance = (
        get_object_or_404(QuotaRule, pk=editing, cohort=cohort)
        if editing is not None
        else QuotaRule(cohort=cohort)
    )
    initial = {}
    # The saved rule's label: binding the form below changes the instance to what was typed.
    editing_label = instance.label if instance.pk else ""
    if instance.pk:
        field = {"green_area": "area", "size_class": "size", "region": "region"}
        initial = {field[instance.dimension]: instance.value}
    form = QuotaRuleForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST":
        try:
            if "delete" in request.POST:
                rule = get_object_or_404(
                    QuotaRule, pk=whole_number(request.POST["delete"]), cohort=cohort
                )
                quotas.delete_quota_rule(request.user, rule)
                messages.success(request, _("Quota rule removed."))
                return redirect("cohorts:quota_rules", pk=cohort.pk)
            rule = form.save(commit=False) if form.is_valid() else None
            if rule and save_current(form, lambda: quotas.save_quota_rule(request.user, rule)):
                messages.success(
                    request, _("Quota rule saved.") if instance.pk else _("Quota rule added.")
                )
                return redirect("cohorts:quota_rules", pk=cohort.pk)
        except Refused as error:
            messages.error(request, error.shown(hidden=True))
            return redirect("cohorts:quota_rules", pk=cohort.pk)
    rules = list(cohort.quota_rules.all())
    candidates = quotas.candidates_for(cohort)
    proposal = SelectionProposal.objects.filter(cohort=cohort).first()
    return render(
        request,
        "cohorts/quota_rules.html",
        {
            "cohort": cohort,
            "form": form,
            "editing": instance,
            "editing_label": editing_label,
            "rules": rules,
            "candidates": len(candidates),
            "problems": quotas.feasibility_problems(cohort, candidates),
            "proposal": proposal,
            # no proposal yet, or one still being prepared: its rules may change
            "rules_editable": proposal is None
            or PROPOSAL.allows(proposal.state, "proposal_submitted"),
        },
        status=form.status,
    )


# --- The proposal -----------------------------------------------------------------------------


def posted_rows(post, entries):
    """entry id -> (outcome, position, reason) from the edit form."""
    rows = {}
    for entry in entries:
        outcome = post.get(f"outcome-{entry.pk}")
        if outcome is None:
            continue
        rows[entry.pk] = (
            outcome,
            whole_number(post.get(f"position-{entry.pk}"), maximum=MAX_POSITION),
            post.get(f"reason-{entry.pk}", ""),
        )
    return rows


MAX_POSITION = 32767  # a waitlist position is a small integer


class ProposalView(TemplateView):
    """The selection of a cohort: suggestion preview and start, the officers' edit form, the
    lead's approval, the published result."""

    template_name = "cohorts/proposal.html"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_see_selection(request.user):
            raise Http404
        self.cohort = get_object_or_404(Cohort, pk=kwargs.get("pk"))
        self.proposal = SelectionProposal.objects.filter(cohort=self.cohort).first()
        self.posted = {}
        self.errors, self.general = {}, []
        self.stale = None
        self.approval_form = ApprovalForm()
        return super().dispatch(request, *args, **kwargs)

    # Reading

    def entries(self):
        return list(
            ProposalEntry.objects.filter(proposal=self.proposal).select_related(
                "application__company"
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            cohort=self.cohort,
            proposal=self.proposal,
            can_propose=permissions.can_propose(self.request.user),
            **kwargs,
        )
        if self.proposal is None:
            context.update(self.preview())
        else:
            context.update(self.proposal_context())
        return context

    def preview(self):
        candidates = quotas.candidates_for(self.cohort)
        context = {"candidates": len(candidates), "problems": []}
        try:
            suggestion, _texts = quotas.suggestion_for(self.cohort, candidates)
        except selection.InfeasibleQuotas as error:
            context["problems"] = error.problems
            return context
        context["suggested"] = {
            "selected": len(suggestion.selected),
            "waitlisted": len(suggestion.waitlist),
            "rejected": len(suggestion.rejected),
            "total": suggestion.total_score,
        }
        return context

    def proposal_context(self):
        proposal = self.proposal
        user = self.request.user
        entries = self.entries()
        saved = {e.pk: (e.outcome, e.position, e.reason) for e in entries}
        for entry in entries:  # show what the user typed, never lose it
            if entry.pk in self.posted:
                entry.outcome, entry.position, entry.reason = self.posted[entry.pk]
        if self.posted:
            proposals.normalise_positions(entries)
        deviating = proposals.deviations(entries)
        language = get_language()
        areas, sizes = dict(GreenArea.choices), dict(SizeClass.choices)
        rows = []
        for entry in entries:
            application = entry.application
            rows.append(
                {
                    "entry": entry,
                    "company": application.company,
                    "application": application,
                    "area": areas.get(application.tech_area, application.tech_area),
                    "size": sizes.get(application.size_class, application.size_class),
                    "explanation": entry.explanation_in(language),
                    "deviates": entry.pk in deviating,
                    "decided": application.state not in AWAITING_DECISION,
                    "error": self.errors.get(entry.pk),
                    "saved_outcome": saved[entry.pk][0]
                    if self.stale and saved[entry.pk][0] != entry.outcome
                    else None,
                }
            )
        order = {Outcome.SELECTED: 0, Outcome.WAITLISTED: 1, Outcome.REJECTED: 2}
        rows.sort(
            key=lambda r: (
                order[r["entry"].outcome],
                r["entry"].position or 0,
                r["entry"].plain_rank or 10**6,
            )
        )
        selected = [
            r["application"].quota_attributes for r in rows if r["entry"].outcome == "selected"
        ]
        rules = list(self.cohort.quota_rules.all())
        editable = PROPOSAL.allows(
            proposal.state, "proposal_submitted"
        ) and permissions.can_propose(user)
        return {
            "rows": rows,
            "editable": editable,
            "may_approve": PROPOSAL.allows(proposal.state, "proposal_approved")
            and permissions.can_approve(user, proposal),
            "awaiting_lead": PROPOSAL.allows(proposal.state, "proposal_approved"),
            "returned": proposal.state == PROPOSAL["proposal_returned"].target,
            "published": proposal.state in PROPOSAL.final_states(),
            "is_proposer": user.pk in permissions.authors(proposal),
            "approval_form": self.approval_form,
            "composition": composition(rules, selected),
            "counts": {key: sum(r["entry"].outcome == key for r in rows) for key in Outcome.values},
            "required": proposals.required_selected(proposal, entries)[1],
            "missing": proposals.missing_applications(proposal).count() if editable else 0,
            "errors": self.errors,
            "general": self.general,
            "stale": self.stale,
            "outcomes": Outcome.choices,
            "history": audit.history(proposal)[:30],
        }

    # Writing

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        try:
            response = self.act(action)
        except Refused as error:
            if error.code == "not_permitted":
                messages.error(request, str(error) or _("You may not do this."))
                return redirect("cohorts:proposal", pk=self.cohort.pk)
            messages.error(request, error.shown())
            return self.render_to_response(self.get_context_data())
        return response

    def act(self, action):
        user = self.request.user
        if action == "start":
            if self.proposal is not None:
                return redirect("cohorts:proposal", pk=self.cohort.pk)
            proposals.start_proposal(user, self.cohort)
            messages.success(self.request, _("The proposal starts from the suggestion."))
            return redirect("cohorts:proposal", pk=self.cohort.pk)
        if self.proposal is None:
            raise Http404
        if action in ("save", "submit", "reset"):
            return self.edit(action)
        if action == "decide":
            return self.decide()
        raise Http404

    def edit(self, action):
        version = whole_number(self.request.POST.get("version"), minimum=0) or 0
        self.posted = posted_rows(self.request.POST, self.entries())
        try:
            if action == "reset":
                proposals.reset_to_suggestion(self.request.user, self.proposal, version)
                messages.success(self.request, _("The proposal starts again from the suggestion."))
            else:
                proposals.save_proposal(
                    self.request.user,
                    self.proposal,
                    version,
                    self.posted,
                    submit=action == "submit",
                )
        except Refused as error:
            if error.code == "stale" and "proposal" in error.details:
                self.proposal = saved = error.details["proposal"]
                self.stale = {"by": saved.saved_by, "at": saved.saved_at}
                return self.render_to_response(self.get_context_data(), status=409)
            if "errors" not in error.details:
                raise
            self.errors, self.general = error.details["errors"], error.details["general"]
            return self.render_to_response(self.get_context_data(), status=422)
        if action == "submit":
            messages.success(self.request, PROPOSAL["proposal_submitted"].done)
            return self.done()
        if action == "save":
            messages.success(self.request, _("Proposal saved."))
        return redirect(self.request.get_full_path())

    def decide(self):
        self.approval_form = ApprovalForm(self.request.POST)
        if not self.approval_form.is_valid():
            return self.render_to_response(self.get_context_data(), status=422)
        data = self.approval_form.cleaned_data
        if data["decision"] == ApprovalForm.APPROVE:
            publishing.approve(self.request.user, self.proposal, data["comment"])
            messages.success(self.request, PROPOSAL["proposal_approved"].done)
        else:
            publishing.return_proposal(self.request.user, self.proposal, data["comment"])
            messages.success(self.request, PROPOSAL["proposal_returned"].done)
        return self.done()

    def done(self):
        if came_from_tasks(self.request):
            return redirect("home")
        return redirect("cohorts:proposal", pk=self.cohort.pk)
