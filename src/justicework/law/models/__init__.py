"""The law app's models, one module per noun (qualifications, case files and their matrix)."""
