"""Pingan platform: the plumbing that every service shares and no domain code."""
