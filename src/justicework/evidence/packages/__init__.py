"""Evidence packages: a signed ZIP of a selection of items (``build``), its manifest
(``manifest``), the instance's signing key (``signing``), an optional RFC 3161 timestamp
(``timestamp``) and the standalone verifier shipped inside every package (``verify``)."""
