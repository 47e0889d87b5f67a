// The whole-app tests start real processes on 2 cores; running collections side by side only makes each slower
// and their timeouts flakier.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
