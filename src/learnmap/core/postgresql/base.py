"""Django's PostgreSQL backend, for parameters bound by the server.

With ``server_side_binding`` (``DATABASE_PREPARED_STATEMENTS``, on by default) every value of
a statement is a protocol parameter, and the protocol counts them in 16 bits: a statement with
more than 65,535 fails ("number of parameters must be between 0 and 65535"). Django batches
its own bulk statements by ``bulk_batch_size``, which the PostgreSQL backend leaves unlimited,
so deleting a roadmap of 85,000 resources (the cascade's ``WHERE resource_id IN (...)``)
failed. Here the batch stays under the limit; with client-side binding nothing changes.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, operations

# The protocol's limit on the parameters of one statement (a 16-bit count).
MAX_PARAMETERS = 65_535


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        size = super().bulk_batch_size(fields, objs)
        if not self.connection.settings_dict["OPTIONS"].get("server_side_binding"):
            return size
        return max(1, min(size, MAX_PARAMETERS // max(len(fields), 1)))


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
