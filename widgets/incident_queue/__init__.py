"""The incident queue: a model of the open incidents, its filters, and the panel that shows them."""
