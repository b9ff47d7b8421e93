"""Walking every URL of the project with hostile input (used by tests/clinic/test_hostile_walk.py).

``world()`` seeds one object of every kind through the factories and services; ``url_cases()``
resolves every URL pattern of the URLconf to a path with real ids (and with hostile ids);
``forms_in()`` (tests/hostile_forms.py) reads the forms of a page so their fields can be posted
with hostile values.
"""

from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from tests.hostile_forms import forms_in, generic_forms

# Query parameters the views read, and values no view may answer with a server error.
QUERY_NAMES = [
    "q", "page", "role", "state", "status", "order", "programme", "copy", "edit", "all", "view",
    "suggestion", "batch", "next", "area", "size", "region", "green_area", "size_class",
    "country", "stale", "expert", "cohort", "language",
]  # fmt: skip


HOSTILE = [
    "",
    "x",
    "-1",
    "99999999999999999999",
    "1.5",
    "²",
    "日本語\u202e\U0001f600",
    "' OR 1=1 --",
    "\x00",
]


LIST_VALUE = ["1", "x"]


VALUES = [*HOSTILE, LIST_VALUE]  # what every query parameter meets


PER_FIELD = ["", "x", "99999999999999999999", LIST_VALUE]  # one field at a time


HOSTILE_IDS = ["0", "99999999999999999999"]


SKIPPED_PREFIXES = ("admin/",)  # Django's own admin: staff only, not our code


def route_patterns(resolver=None, prefix="", namespace=""):
    """(route, full name) of every URL pattern of the project."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from route_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name


@dataclass
class World:
    ids: dict = field(default_factory=dict)  # route prefix -> pk for "<int:pk>"
    extra: dict = field(default_factory=dict)  # kwarg name -> value
    users: dict = field(default_factory=dict)  # role -> user


# The object whose id fills "<int:pk>" for routes starting with a prefix (longest prefix wins).
PK_FOR_PREFIX = {
    "users/": "user",
    "companies/": "company",
    "outbox/": "message",
    "cohorts/": "cohort",
    "cohorts/applications/": "application",
    "cohorts/reviews/": "review",
    "cohorts/conflicts/": "conflict",
    "cohorts/programmes/": "programme",
    "ip/audits/": "audit",
    "ip/evidence/": "evidence",
    "ip/questionnaires/": "questionnaire",
    "ip/companies/": "company",
    "mentoring/experts/": "expert",
    "mentoring/cohorts/": "cohort",
    "mentoring/participants/": "participation",
    "mentoring/assignments/": "assignment",
    "mentoring/sessions/": "session",
    "mentoring/follow-ups/": "follow_up",
    "mentoring/slots/": "slot",
    "mentoring/plan-versions/": "plan_version",
    "mentoring/follow-up-reports/": "report",
    "matchmaking/technologies/": "technology",
    "matchmaking/needs/": "need",
    "matchmaking/partners/": "partner",
    "matchmaking/introductions/": "introduction",
    "mentoring/impact/cohorts/": "cohort",
    "mentoring/impact/experts/": "user",
    "mentoring/impact/participants/": "participation",
    "mentoring/impact/reports/": "cohort",  # no report of that id: the page answers 404
    "accounts/tokens/": "user",  # another person's id: the page answers 404
    "api/v1/": "cohort",
    "api/v1/programmes/": "programme",
    "api/v1/companies/": "company",
    "api/v1/applications/": "application",
    "api/v1/reviews/": "review",
    "api/v1/sessions/": "session",
    "api/v1/plan-versions/": "plan_version",
    "api/v1/participants/": "participation",
    "api/v1/audits/": "audit",
    "api/v1/experts/": "expert",
    "api/v1/assignments/": "assignment",
    "api/v1/follow-up-reports/": "report",
    "events/": "event",
    "events/feedback/": "registration",
}


def _pk_kind(route):
    matches = [prefix for prefix in PK_FOR_PREFIX if route.startswith(prefix)]
    return PK_FOR_PREFIX[max(matches, key=len)]


def _fill(route, values):
    import re

    def value(match):
        return str(values[match.group(2)])

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def url_cases(world):
    """(name, path with real ids, [paths with hostile ids]) for every URL pattern."""
    import re

    for route, name in route_patterns():
        if route.startswith(SKIPPED_PREFIXES):
            continue
        kwargs = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        values = {"page": 1, **world.extra}  # a page number in a path (plan page images)
        if "process_pk" in dict((k, c) for c, k in kwargs):
            flow, node = route.split("/")[0], route.split("/")[3]
            values["process_pk"], values["task_pk"] = world.extra[f"{flow}:{node}"]
        if any(k == "pk" for _c, k in kwargs):
            values["pk"] = world.ids[_pk_kind(route)]
        hostile = []
        for bad in HOSTILE_IDS:
            hostile.append(
                _fill(route, {**values, **{k: bad for c, k in kwargs if c in ("int", "")}})
            )
        yield name, "/" + _fill(route, values), ["/" + path for path in hostile]


READ_ONLY = "answers a POST like a GET: a read-only view needs @require_safe"

# Django's PasswordResetConfirmView: a valid link redirects to its set-password URL, whose form
# posts there; a link no longer valid (the walk's log-ins invalidate the world's token) shows
# Django's "invalid link" page to any method.
POSTS_LIKE_GET = {"password_reset_confirm"}


class _Rollback(Exception):
    def __init__(self, response):
        self.response = response


class Walker:
    """Requests as one role, each inside a rolled-back savepoint; server errors are collected."""

    def __init__(self, client, user, turn=0, covered=None):
        from django.conf import settings
        from django.shortcuts import resolve_url

        self.client, self.user, self.failures, self.turn = client, user, [], turn
        self.covered = covered or Coverage()  # walked in full by a role this one includes
        self.login = resolve_url(settings.LOGIN_URL)
        self.sent = self.full = 0  # requests sent; requests the full cross product would send
        self.cookie = settings.SESSION_COOKIE_NAME
        client.logout()
        if user is not None:
            client.force_login(user)
        self.session_key = client.cookies[self.cookie].value if user is not None else None

    def send(self, method, path, data=None):
        """The response (None on a server error, which is recorded)."""
        from django.db import transaction

        self.sent += 1
        try:
            with transaction.atomic():
                raise _Rollback(getattr(self.client, method)(path, data or {}))
        except _Rollback as done:
            response = done.response
            if response.status_code >= 500:
                self.failures.append((method, path, _short(data), response.status_code))
                response = None
        except Exception as error:  # the test client re-raises the view's exception
            self.failures.append((method, path, _short(data), f"{type(error).__name__}: {error}"))
            _dump(self.failures[-1], error)
            response = None
        self.client.cookies.pop("messages", None)
        if self.session_key is not None:  # a logout or password change was rolled back
            self.client.cookies[self.cookie] = self.session_key
        return response

    def refused(self, response):
        """Whether the role was turned away before the view read any input: the method is not
        allowed, the role must log in, or the object or page is outside its scope."""
        if response is None:
            return False
        if response.status_code == 302:
            return response["Location"].split("?")[0] == self.login
        return response.status_code in (401, 403, 404, 405)

    def sample(self, index):
        """Two of VALUES for the URL at ``index``, turning with the URL and the role: each role
        meets every value within five URLs, and each URL every value within five roles (the six
        logged-in roles cover them all even when every one of them is refused)."""
        first = 2 * (index + self.turn)
        return [VALUES[first % len(VALUES)], VALUES[(first + 1) % len(VALUES)]]

    def get_hostile(self, path, hostile_paths, index):
        """Every value in every query parameter, and the hostile ids. A refused role sends two
        values (see ``sample``) and one hostile id: the refusal comes before any input is read."""
        self.full += 1 + len(VALUES) + len(hostile_paths)
        if self.refused(self.send("get", path)) or path in self.covered.pages:
            for value in self.sample(index):
                self.send("get", path, {name: value for name in QUERY_NAMES})
            hostile_paths = hostile_paths[(index + self.turn) % 2 :][:1]
        else:
            for value in VALUES:
                self.send("get", path, {name: value for name in QUERY_NAMES})
        for bad_path in hostile_paths:
            self.send("get", bad_path)

    def forms_by_action(self, paths, readable=None):
        """{path: [post forms whose action is that path]} of the pages at ``paths`` (the
        pages the role is not refused are added to ``readable``)."""
        found = {}
        for path in paths:
            response = self.send("get", path)
            if readable is not None and not self.refused(response):
                readable.add(path)
            if response is None or "html" not in response.get("Content-Type", ""):
                continue
            for form in forms_in(response.content.decode()):
                target = (form.action or path).split("?")[0].split("#")[0]
                same = [f for f in found.get(target, []) if f.names == form.names]
                if form.method == "post" and not same:  # the navigation's forms: once
                    found.setdefault(target, []).append(form)
        return found

    def post_hostile(self, path, forms, hostile_paths, index):
        """Every form of ``path`` (or, with none found, the names views commonly read): empty,
        as shown, with every value in all fields, one hostile value per field, hostile files;
        then the hostile ids. A role refused its first form as shown (or an empty post) sends
        two values in all fields and one hostile id instead. With no form posting to ``path``
        (the API's endpoints have none), an empty post must not answer 200: a read-only view
        answers 405, it does not render itself as for a GET."""
        generic = not forms
        forms = forms or generic_forms(path)
        self.full += 1 + len(hostile_paths) + sum(map(_full_posts, forms))
        empty = self.send("post", path)
        if generic and getattr(empty, "status_code", 0) == 200 and _should_refuse_posts(path):
            self.failures.append(("post", path, "", READ_ONLY))
        refused = self.refused(
            self.send("post", path, forms[0].baseline()) if forms[0].names else empty
        )
        if refused or self.covered.posts(path, forms):
            names = sorted({name for form in forms for name in form.names})
            for value in self.sample(index):
                self.send("post", path, {name: value for name in names})
            hostile_paths = hostile_paths[(index + self.turn) % 2 :][:1]
        else:
            for number, form in enumerate(forms):
                self._post_form(path, form, number > 0)
        for bad_path in hostile_paths:
            self.send("post", bad_path)

    def coverage(self, paths):
        """What this role's walk sends in full: the pages it may read, and the forms it may
        post (its first form as shown, or an empty post, is not refused)."""
        covered = Coverage()
        forms = self.forms_by_action(paths, covered.pages)
        for path in paths:
            found = forms.get(path) or generic_forms(path)
            sent = self.send("post", path, found[0].baseline())
            if not self.refused(sent):
                covered.forms[path] = {tuple(form.names) for form in found}
        return covered

    def _post_form(self, path, form, with_baseline):
        baseline = form.baseline()
        if with_baseline:  # the first form's baseline was sent to see whether the role is refused
            self.send("post", path, baseline)
        for value in HOSTILE:
            self.send("post", path, {name: value for name in form.names})
        # One hostile value per field, taking PER_FIELD's values in turn (each form still
        # meets all of them): every value for every field made the walk last 20 minutes.
        for index, name in enumerate(form.fuzzed_names):
            value = PER_FIELD[index % len(PER_FIELD)]
            self.send("post", path, {**baseline, name: value})
        for name in form.file_names:
            for upload in _hostile_files():
                self.send("post", path, {**baseline, name: upload})


@dataclass
class Coverage:
    """What a role walks in full (see ``Walker.coverage``). A role whose powers include that
    role's (the lead: a senior officer) samples these pages and forms like refused ones: the
    same view reads the same input, the fuller walk has sent it everything already."""

    pages: set = field(default_factory=set)
    forms: dict = field(default_factory=dict)  # path -> {field names of each form}

    def posts(self, path, forms):
        """Whether every one of ``forms`` (posting to ``path``) is walked in full already."""
        names = self.forms.get(path)
        return names is not None and all(tuple(form.names) in names for form in forms)


def _should_refuse_posts(path):
    from django.urls import resolve

    return not path.startswith("/api/") and resolve(path).url_name not in POSTS_LIKE_GET


def _full_posts(form):
    return 1 + len(HOSTILE) + len(form.fuzzed_names) + 2 * len(form.file_names)


def _hostile_files():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return [
        SimpleUploadedFile("poly.html", b"%PDF-1.4<html><script>alert(1)</script>"),
        SimpleUploadedFile("empty.pdf", b""),
    ]


def _short(data):
    if not data:
        return ""
    return {k: v for k, v in data.items() if not hasattr(v, "read")}


def _dump(failure, error):
    """With HOSTILE_DUMP=<file> set, each server error's traceback tail is appended there."""
    import os
    import traceback

    if os.environ.get("HOSTILE_DUMP"):
        with open(os.environ["HOSTILE_DUMP"], "a") as out:
            out.write(repr(failure)[:400] + "\n")
            out.write("".join(traceback.format_exception(error)[-3:]) + "\n")
