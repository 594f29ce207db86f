"""Signals of the dossier engine for higher apps (they connect from AppConfig.ready(); dossiers never imports them).

`dossier_changed` is sent inside the transaction that changes the dossier, after its audit event, so a receiver
writing rows (the national-portal outbox, cchc.portalsync) commits or rolls back with the change itself.
Arguments: dossier, action ("receive", "submit_online" or a workflow action), from_state, to_state, at, actor.
"""

from django.dispatch import Signal

dossier_changed = Signal()
