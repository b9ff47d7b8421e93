"""An event's programme (officers): speakers, agenda items, materials; material downloads."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.files import FileMissing, serve_private
from clinic.transitions import Refused
from clinic.views.files import lost_upload_page

from .. import permissions
from ..forms import AgendaItemForm, MaterialForm, SpeakerForm
from ..services import events as service
from . import managed_event, refused, visible_event


def _form_errors(form):
    return "; ".join(
        f"{form.fields[k].label if k in form.fields else ''} {' '.join(v)}".strip()
        for k, v in form.errors.items()
    )


@require_POST
def speaker_add(request, pk):
    event = managed_event(request, pk)
    form = SpeakerForm(request.POST)
    if not form.is_valid():
        return refused(request, _form_errors(form), "events:detail", pk)
    speaker = form.save(commit=False)
    speaker.event = event
    try:
        service.add_speaker(request.user, speaker)
    except Refused as error:
        return refused(request, error, "events:detail", pk)
    messages.success(request, _("Speaker added."))
    return redirect("events:detail", pk=pk)


@require_POST
def speaker_remove(request, pk, item):
    event = managed_event(request, pk)
    speaker = event.speakers.filter(pk=item).first()
    if speaker is not None:  # removed already: the first click's page
        try:
            service.remove_speaker(request.user, speaker)
        except Refused as error:
            return refused(request, error, "events:detail", pk)
    return redirect("events:detail", pk=pk)


@require_POST
def agenda_add(request, pk):
    event = managed_event(request, pk)
    form = AgendaItemForm(request.POST, event=event)
    if not form.is_valid():
        return refused(request, _form_errors(form), "events:detail", pk)
    item = form.save(commit=False)
    item.event = event
    try:
        service.add_agenda_item(request.user, item)
    except Refused as error:
        return refused(request, error, "events:detail", pk)
    return redirect("events:detail", pk=pk)


@require_POST
def agenda_remove(request, pk, item):
    event = managed_event(request, pk)
    found = event.agenda_items.filter(pk=item).first()
    if found is not None:
        try:
            service.remove_agenda_item(request.user, found)
        except Refused as error:
            return refused(request, error, "events:detail", pk)
    return redirect("events:detail", pk=pk)


@require_POST
def material_add(request, pk):
    event = managed_event(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        return refused(request, _form_errors(form), "events:detail", pk)
    try:
        service.add_material(
            request.user, event, form.cleaned_data["file"], form.cleaned_data["title"]
        )
    except Refused as error:
        return refused(request, error, "events:detail", pk)
    messages.success(request, _("File added."))
    return redirect("events:detail", pk=pk)


@require_POST
def material_remove(request, pk, item):
    event = managed_event(request, pk)
    material = event.materials.filter(pk=item).first()
    if material is not None:
        try:
            service.remove_material(request.user, material)
        except Refused as error:
            return refused(request, error, "events:detail", pk)
    return redirect("events:detail", pk=pk)


def material_download(request, pk, item):
    """Materials go to registered people (once open) and officers; anyone else gets 404."""
    event = visible_event(request, pk)
    if not permissions.can_see_materials(request.user, event):
        raise Http404
    material = get_object_or_404(event.materials, pk=item)
    try:
        return serve_private(
            material.file,
            filename=material.original_name,
            content_type=material.content_type,
            checksum=material.checksum,
        )
    except FileMissing:
        return lost_upload_page(request, event, file_label=material.title)
