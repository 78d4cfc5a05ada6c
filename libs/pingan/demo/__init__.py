"""The demo district: a realistic Qinzhou District (秦州区) loaded into an empty system through
the public HTTP API only, as an office would bring in its ledgers (台账).

`pingan demo --url URL --token TOKEN [--seed N] [--add]`, or `pingan up --demo`.

- Every record is made by the ordinary commands, with the service token, so it is valid by
  construction; titles are stripped by the real plaque-removal reaction, not by the demo.
- The plan is drawn first and whole from `random.Random(seed)`, then sent: the same seed on the
  same day gives the same records and the same summary (`plan_digest` included). Dates are
  relative to the day the demo runs, in the office's time zone: the history always ends today,
  which is the only "today" the services accept facts up to.
- Stories (one record and the commands that follow it) run concurrently with bounded
  parallelism, month by month, so that the case history the warning rule reads arrives in order.
"""
