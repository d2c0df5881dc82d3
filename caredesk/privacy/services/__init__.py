"""Writes of the privacy app: backups (`backups`), customer data exports (`exports`) and
erasure (`erasure`)."""
