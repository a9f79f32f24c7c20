"""The instruction (指令/任务) inbox: a lazily fetched table model over SQL, filters, search, task detail."""
