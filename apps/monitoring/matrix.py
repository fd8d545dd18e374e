"""The monitoring app's pages and endpoints in the central permission matrices (tests/)."""

PAGE_SPECS = {}

from apps.monitoring import matrix_progress  # noqa: E402
matrix_progress.install(globals())  # PAGE_SPECS.update(...), page_kwargs and fingerprint chained
