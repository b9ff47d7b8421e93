"""Messages to a cohort's applicants or participants: write, preview with the recipient count,
confirm (cohorts/services/messages.py sends them), and the list of those sent."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.transitions import Refused

from .. import permissions
from ..forms_messages import BOTH_OR_ONE, BulkMessageForm
from ..models import Application, Cohort
from ..services import messages as bulk


def bulk_messages(request, pk):
    if not permissions.can_send_bulk_messages(request.user):
        raise Http404
    cohort = get_object_or_404(Cohort, pk=pk)
    chosen = [s for s in request.GET.getlist("state") if s in Application.State.values]
    form = BulkMessageForm(request.POST or None, initial={"states": chosen} if chosen else None)
    preview = None
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        message = form.save(commit=False)
        token = form.cleaned_data["token"]
        if "send" in request.POST and token:
            message.token = token
            try:
                sent, new = bulk.send_bulk_message(request.user, cohort, message)
            except Refused as refusal:
                form.add_error(None, refusal.shown())
            else:
                if new:
                    messages.success(request, sent_text(sent.recipient_count))
                else:
                    messages.info(
                        request, _("This message was already sent; nothing more was sent.")
                    )
                return redirect("cohorts:messages", pk=cohort.pk)
        else:
            preview = preview_of(cohort, message)
            if not preview["count"]:
                form.add_error(None, _("Nobody would receive this message: choose other states."))
                preview = None
    page = Paginator(cohort.bulk_messages.select_related("sent_by"), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cohorts/bulk_messages.html",
        {"cohort": cohort, "form": form, "preview": preview, "page": page, "hint": BOTH_OR_ONE},
        status=400 if request.method == "POST" and form.errors else 200,
    )


def preview_of(cohort, message):
    """What the confirmation shows: how many get it, in which language, and both versions."""
    people = bulk.recipients(cohort, message.audience, message.states)
    languages = list(people.values_list("preferred_language", flat=True))
    chinese, count = sum(1 for code in languages if code.startswith("zh")), len(languages)
    return {
        "message": message,
        "count": count,
        "chinese": chinese,
        "english": count - chinese,
        "versions": [
            (_("English"), message.localized_subject("en"), message.localized_body("en")),
            (_("Chinese"), message.localized_subject("zh-hans"), message.localized_body("zh-hans")),
        ],
        "token": uuid.uuid4(),
    }


def sent_text(count):
    return ngettext(
        "The message is on its way to %(count)d recipient.",
        "The message is on its way to %(count)d recipients.",
        count,
    ) % {"count": count}
