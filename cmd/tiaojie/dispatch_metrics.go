package main

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tiaojie/tiaojie/infra/mysql"
)

// dispatchCollector reads queue depth per unit and the escalation count
// from the database at scrape time: the database is the truth, and every
// instance reports the same figures.
type dispatchCollector struct {
	store     *mysql.OrderStore
	depth     *prometheus.Desc
	escalated *prometheus.Desc
}

func newDispatchCollector(store *mysql.OrderStore) *dispatchCollector {
	return &dispatchCollector{store: store,
		depth:     prometheus.NewDesc("tiaojie_work_orders_queued", "Work orders queued and not yet acknowledged by any staff app, per unit.", []string{"unit"}, nil),
		escalated: prometheus.NewDesc("tiaojie_work_order_escalations_total", "Work orders escalated to a parent unit after their deadline passed.", nil, nil)}
}

func (c *dispatchCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.depth; ch <- c.escalated }

func (c *dispatchCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	queued, escalated, err := c.store.QueueDepths(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, err)
		return
	}
	for unit, n := range queued {
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n), strconv.FormatInt(unit, 10))
	}
	ch <- prometheus.MustNewConstMetric(c.escalated, prometheus.CounterValue, float64(escalated))
}
