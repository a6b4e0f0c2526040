// .NET Interactive's formatter and console redirection are process-wide: one kernel test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
