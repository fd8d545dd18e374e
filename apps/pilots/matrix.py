"""Pilot pages in the central permission matrix (tests/). The pilots themselves are made in
apps/proposals/matrix.py prepare() (each target city's proposal is approved) and are not
published: the city's readers see them, others get 404 as for a missing one."""

PAGE_SPECS = {
    "pilots:detail": [("get", "private-read", None)],
}
