package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/infra/mysql"
)

// observeFilingBatches exports how filings are group-committed: batch sizes
// near 1 under load, or batch times growing, point at the database.
func observeFilingBatches(reg prometheus.Registerer, gc *mysql.GroupCommit[*mediation.NewFiling]) {
	size := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "tiaojie_filing_batch_size",
		Help: "Filings committed together in one transaction.", Buckets: []float64{1, 2, 4, 8, 16, 32, 64}})
	took := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "tiaojie_filing_batch_seconds",
		Help: "Time to write and commit one batch of filings.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 12)})
	failed := prometheus.NewCounter(prometheus.CounterOpts{Name: "tiaojie_filing_batch_failures_total",
		Help: "Batch writes of filings that failed; a failed batch of several is retried filing by filing (each retry counted again) unless its outcome was unknown."})
	reg.MustRegister(size, took, failed)
	gc.Observe = func(n int, d time.Duration, err error) {
		size.Observe(float64(n))
		took.Observe(d.Seconds())
		if err != nil {
			failed.Inc()
		}
	}
}
