"""The domain's words → values, formatting, labels and prose every stage shares (no files, no formats)."""
