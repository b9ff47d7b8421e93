"""A flow task's node URL forwards to our page: the page to post to when doing the task."""


def task_page(client, task):
    """Our page that ``task``'s execute URL forwards ``client``'s user to (``?from=tasks``)."""
    response = client.get(task.reverse("execute"))
    assert response.status_code == 302, response.status_code
    return response.url
