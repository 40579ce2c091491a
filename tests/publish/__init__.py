"""Issue 7: publishing (dataset folder, card, hub push, JSONL)."""
