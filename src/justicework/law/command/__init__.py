"""Command responsibility (issue 14): the chain of command on a date (:mod:`.chain`), what is
recorded for a suspect under art. 28 (:mod:`.art28`) and incidents by unit over time and place
(:mod:`.pattern`). Pure functions over an organisation's hierarchy read in a fixed number of
queries (:func:`.chain.load_hierarchy`); no models of its own."""
