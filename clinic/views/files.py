"""Pages about stored files that every stage shows."""

from django.utils.translation import gettext as _

from ..files import missing_file_page
from ..services.files import report_missing_upload


def lost_upload_page(request, obj, *, file_label, link=""):
    """An uploaded file of ``obj`` is gone and cannot be made again: the officers are told (once
    per object) and the user sees a clear page."""
    report_missing_upload(obj, file_label=file_label, link=link)
    return missing_file_page(
        request,
        _(
            "This file is no longer stored and cannot be shown. The programme officers have been "
            "told and will ask for it again if it is needed."
        ),
    )
