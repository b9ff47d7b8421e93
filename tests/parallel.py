"""Truly parallel requests and service calls for the concurrency tests (PostgreSQL only).

``at_once`` starts every call in its own thread (its own database connection) and releases them
together from a barrier; ``Browser`` is one logged-in session posting forms to ``live_server``
over HTTP, as a double-clicking user's browser does.
"""

import re
import threading
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import close_old_connections, connection
from django.test import Client

from tests.services import require


def require_postgres():
    """Parallel tests need row locks: PostgreSQL (SQLite serialises every writer anyway)."""
    require(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL)")


def at_once(calls):
    """Run each callable in its own thread, all released at the same moment.

    Returns one outcome per call: its return value or the exception it raised.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is the test's to judge
            outcomes[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


class Browser:
    """One user's session against ``live_server``: same cookies for every request."""

    def __init__(self, live_server, user):
        client = Client()
        client.force_login(user)
        self.address = urlsplit(live_server.url)
        self.cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
        }

    def request(self, method, path, data=None):
        """(status, Location header, body) of one request; redirects are not followed."""
        body = urlencode(data or {}, doseq=True)
        headers = {
            "Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items()),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{self.address.scheme}://{self.address.netloc}{path}",
        }
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        http = HTTPConnection(self.address.hostname, self.address.port, timeout=60)
        try:
            http.request(method, path, body=body if method == "POST" else None, headers=headers)
            response = http.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(header).items():
                    self.cookies[key] = morsel.value
            return response.status, response.getheader("Location", ""), response.read().decode()
        finally:
            http.close()

    def open(self, path):
        """GET a page (to receive the CSRF cookie); returns its HTML."""
        status, _location, html = self.request("GET", path)
        assert status == 200, (path, status)
        return html

    def post_at_once(self, path, data, count=6):
        """``count`` identical POSTs of the form at ``path`` released together (a double click)."""
        data = {**hidden_fields(self.open(path)), **data}
        return at_once([lambda: self.request("POST", path, data)[:2] for _ in range(count)])


def hidden_fields(html):
    """The CSRF token and edit stamp a page's forms send back."""
    pattern = r'name="(csrfmiddlewaretoken|edit_stamp)" value="([^"]*)"'
    return dict(re.findall(pattern, html))


def form_data(form):
    """The POST data a browser sends for ``form`` as rendered (its initial values)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or hasattr(value, "url"):
            continue
        if value is True:
            value = "on"
        data[form.add_prefix(name)] = value if isinstance(value, list) else str(value)
    return data
