"""Commune police posts' facilities: the headquarters through time, equipment against a norm set as data."""
