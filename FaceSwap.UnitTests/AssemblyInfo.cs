// Unit tests share no process, port, file or environment variable, so xunit runs their collections side by side
// (the engine tests stay one collection: they share one loaded model set).
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, DisableTestParallelization = false)]
