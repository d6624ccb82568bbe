"""Qt glue between the state and the widgets: one controller per concern."""
