// Notebook runs share the process-wide formatter, console and working directory: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
