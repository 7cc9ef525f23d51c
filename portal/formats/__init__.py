"""Date formats per language where Django's own do not suit Passage (`FORMAT_MODULE_PATH`)."""
