"""Financial support to third parties: calls, applications, review, awards, money, publication."""
