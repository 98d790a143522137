"""Pages of the survivors app, one module per noun (``consent``; the person page's section
is ``panels``)."""
