module burstlab.local/kind/tools/workload

go 1.26.0
