"""The strategies app's pages and endpoints in the central permission matrices (tests/)."""

PAGE_SPECS = {}
