"""A database backend for the embedded PostgreSQL: Django's own, with the server's address
filled in on the first connection.

The server (the `pgserver` wheel) is started only when something connects, never when the
settings are read, so a command that needs no database (`manage.py screen`) starts none.
"""

import dj_database_url
from django.db.backends.postgresql import base

from oih_site import embedded_postgres


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        if not self.settings_dict.get("HOST"):
            server = dj_database_url.parse(embedded_postgres.database_url())
            self.settings_dict["USER"] = server["USER"]
            self.settings_dict["PASSWORD"] = server["PASSWORD"]
            self.settings_dict["PORT"] = server["PORT"]
            # The server listens on a socket directory, which the URL gives as ?host=.
            self.settings_dict["HOST"] = server["HOST"] or server["OPTIONS"]["host"]
            # NAME None is Django's way to reach the "postgres" database (creating test ones).
            if self.settings_dict.get("NAME") == "":
                self.settings_dict["NAME"] = server["NAME"]
        return super().get_connection_params()
