"""The evidence vault's pages, one module per noun (``items``, ``upload``, ``cards``)."""

#: Items per page of the list.
PAGE_SIZE = 50
