"""The forms of a page, read from its HTML so the hostile walk (tests/hostile.py) can post their
fields with hostile values."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    method: str
    action: str
    fields: list = field(default_factory=list)  # [name, kind, value, options]

    def baseline(self):
        """The data a browser would send for the form as shown."""
        data = {}
        for name, kind, value, options, checked in self.fields:
            if kind in ("checkbox", "radio") and not checked:
                continue
            if kind == "select" and value is None:
                value = options[0] if options else ""
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            data.setdefault(name, []).append(value or "")
        return data

    @property
    def fuzzed_names(self):
        """The names to fuzz one by one: one of each repeated row (form-0-x, not form-1-x)."""
        import re

        seen, names = set(), []
        for name in self.names:
            shape = re.sub(r"\d+", "#", name)
            if shape not in seen and name != "csrfmiddlewaretoken":
                seen.add(shape)
                names.append(name)
        return names

    @property
    def file_names(self):
        return sorted({f[0] for f in self.fields if f[1] == "file"})

    @property
    def names(self):
        return sorted({f[0] for f in self.fields if f[1] not in ("button", "reset", "image")})


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = Form((attrs.get("method") or "get").lower(), attrs.get("action") or "")
            self.forms.append(self.form)
        if self.form is None or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            entry = [attrs["name"], kind, attrs.get("value", ""), [], "checked" in attrs]
            self.form.fields.append(entry)
        elif tag == "select":
            self.select = [attrs["name"], "select", None, [], True]
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.select[3].append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select[2] = attrs.get("value", "")
        elif tag == "textarea":
            self.textarea = [attrs["name"], "textarea", "", [], True]
            self.form.fields.append(self.textarea)
        elif tag == "button" and attrs.get("value") is not None:
            self.form.fields.append([attrs["name"], "submit", attrs["value"], [], True])

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[2] += data


def forms_in(html):
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


GENERIC_POST_NAMES = [
    "action", "expert", "role", "score", "next", "rule", "delete", "version", "done", "active",
    "language", "source", "question", "value", "note", "reason", "roles", "email", "file",
]  # fmt: skip


def generic_forms(path):
    """What is posted to a path no page has a form for: the names views commonly read."""
    return [Form("post", path, [[name, "text", "", [], True] for name in GENERIC_POST_NAMES])]
