"""The 文书 area on the Qt side: rendering documents to PDF, preview and printing, and the clerk's area."""
