"""An event's programme (officers): speakers, agenda items, materials; material downloads."""

from functools import partial

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic.files import FileMissing, serve_private
from clinic.views.files import lost_upload_page

from .. import permissions
from ..forms import AgendaItemForm, MaterialForm, SpeakerForm
from ..services import events as service
from . import managed_event, refused, run, visible_event


def _form_errors(form):
    return "; ".join(
        f"{form.fields[k].label if k in form.fields else ''} {' '.join(v)}".strip()
        for k, v in form.errors.items()
    )


def _add(request, event, form, add, done=""):
    """Save a speaker or agenda item of ``form`` through the service ``add``."""
    if not form.is_valid():
        return refused(request, _form_errors(form), "events:detail", event.pk)
    row = form.save(commit=False)
    row.event = event
    return run(request, event.pk, partial(add, request.user, row), done)


def _remove(request, pk, related, item, remove):
    """Remove one row of the event (gone already: the first click's page)."""
    event = managed_event(request, pk)
    found = getattr(event, related).filter(pk=item).first()
    if found is None:
        return redirect("events:detail", pk=pk)
    return run(request, pk, partial(remove, request.user, found))


@require_POST
def speaker_add(request, pk):
    event = managed_event(request, pk)
    return _add(request, event, SpeakerForm(request.POST), service.add_speaker, _("Speaker added."))


@require_POST
def speaker_remove(request, pk, item):
    return _remove(request, pk, "speakers", item, service.remove_speaker)


@require_POST
def agenda_add(request, pk):
    event = managed_event(request, pk)
    form = AgendaItemForm(request.POST, event=event)
    return _add(request, event, form, service.add_agenda_item)


@require_POST
def agenda_remove(request, pk, item):
    return _remove(request, pk, "agenda_items", item, service.remove_agenda_item)


@require_POST
def material_add(request, pk):
    event = managed_event(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        return refused(request, _form_errors(form), "events:detail", pk)
    data = form.cleaned_data
    add = partial(service.add_material, request.user, event, data["file"], data["title"])
    return run(request, pk, add, _("File added."))


@require_POST
def material_remove(request, pk, item):
    return _remove(request, pk, "materials", item, service.remove_material)


@require_safe
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
