"""Review of drafts by department coordinators, in the draft's thread."""
