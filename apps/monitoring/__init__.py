"""Monitoring (activity 12): the M&E framework agreed at SLD 3, indicator reporting per period, imports and progress views."""
