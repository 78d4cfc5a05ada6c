"""The campaigns domain: special campaigns, the case ledger and mass incidents."""
