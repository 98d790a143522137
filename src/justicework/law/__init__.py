"""From facts to charges (issue 14): the catalogue of international crimes and their elements,
modes of liability and related treaty crimes (``law.catalogue``); qualification, case files and
the case matrix build on it."""
