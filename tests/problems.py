"""What every test of an error asserts: an RFC 9457 problem of the expected type and status."""

PROBLEM_FIELDS = {"type", "title", "status", "detail"}


def assert_problem(response, status, slug):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert PROBLEM_FIELDS <= set(body)
    assert body["status"] == status
    assert body["type"].endswith("/problems/" + slug)
    return body
