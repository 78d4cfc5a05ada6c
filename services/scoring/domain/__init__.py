"""The scoring domain: creation units, the standards they are judged by, incidents."""
