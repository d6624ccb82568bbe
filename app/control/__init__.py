"""The control layer: what the user's commands do, between the widgets and the project state.

Qt signals are allowed here, widgets never (an import-linter contract and a test check that).
Control code asks the user questions only through the :class:`~.dialogs.Dialogs` protocol, so it
runs headless in tests with scripted answers. One module per responsibility:

- ``workspace``: the open folder, the image on screen and its edit session (edits, undo, saving)
- ``review``: statuses, navigation, approve and reject
- ``proposals``: the model, the threshold (its only owner) and proposal jobs
- ``exports``: exports over the one ``FORMATS`` registry
- ``jobs``: one queue of typed ``JobSpec``s run on background threads
- ``errors``: the guard at the action boundary
"""
