"""Incidents, violations (acts), persons, perpetrator units, locations and sources (issue 3)."""
