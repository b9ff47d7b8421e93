from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions
from ..models import OutboxMessage
from ..services import outbox
from ..text_search import matching


@require_safe
def outbox_list(request):
    if not permissions.can_see_outbox(request.user):
        raise Http404
    messages_qs = OutboxMessage.objects.select_related("recipient")
    status = request.GET.get("status", "")
    if status in OutboxMessage.Status.values:
        messages_qs = messages_qs.filter(status=status)
    query = request.GET.get("q", "").strip()[:100]
    messages_qs = matching(
        messages_qs,
        query,
        [
            "to_email",
            "recipient__first_name",
            "recipient__last_name",
            "recipient__username",
            "subject",
        ],
        order=("-created_at", "-id"),
    )
    page = Paginator(messages_qs, 50).get_page(request.GET.get("page"))
    counts = {
        value: OutboxMessage.objects.filter(status=value).count()
        for value in OutboxMessage.Status.values
    }
    return render(
        request,
        "clinic/outbox_list.html",
        {
            "page": page,
            "status": status,
            "q": query,
            "counts": counts,
            "statuses": OutboxMessage.Status,
        },
    )


@require_safe
def outbox_detail(request, pk):
    if not permissions.can_see_outbox(request.user):
        raise Http404
    message = get_object_or_404(OutboxMessage.objects.select_related("recipient"), pk=pk)
    return render(request, "clinic/outbox_detail.html", {"message": message})


@require_POST
def outbox_retry(request, pk):
    if not permissions.can_see_outbox(request.user):
        raise Http404
    message = get_object_or_404(OutboxMessage, pk=pk)
    outbox.retry_failed(message, request.user)
    messages.success(request, _("The message is queued again."))
    return redirect("outbox_detail", pk=pk)
