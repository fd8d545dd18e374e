"""Expert evaluations of pilot projects (activity 13)."""
