"""Pilot pages in the central permission matrix (tests/). The pilots themselves are made in
apps/proposals/matrix.py prepare() (each target city's proposal is approved) and are not
published: the city's readers and the network's funder reviewers see them, others get 404 as
for a missing one."""
from tests.test_permission_matrix import READ

PAGE_SPECS = {
    "pilots:detail": [("get", "pilot-read", None)],
}


def expected(kind, role, target):
    if kind != "pilot-read":
        return None
    funded = role == "funder" and target in ("own", "sibling")
    return 200 if target in READ.get(role, set()) or funded else 404
