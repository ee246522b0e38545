"""Date and time formats that override Django's for the project's language (FORMAT_MODULE_PATH)."""
