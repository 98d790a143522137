"""Writes of eligibility, conflicts, assignments, reviews, consolidation and decisions: one
function per change, atomic, policy-checked and audited (``grants.review.*`` entries)."""
