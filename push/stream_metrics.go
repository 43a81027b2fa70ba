package push

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/tiaojie/tiaojie/domain/workorder"
)

// StreamMetrics are the staff stream's: connected apps, deliveries and
// redeliveries, and the latency from an order's (re)publication — its
// commit — to the socket.
type StreamMetrics struct {
	connectedApps prometheus.Gauge
	deliveries    *prometheus.CounterVec
	latency       prometheus.Histogram
}

// NewStreamMetrics registers them on reg.
func NewStreamMetrics(reg prometheus.Registerer) *StreamMetrics {
	f := promauto.With(reg)
	return &StreamMetrics{
		connectedApps: f.NewGauge(prometheus.GaugeOpts{Name: "tiaojie_staff_stream_connections", Help: "Staff apps connected to this instance's work-order stream."}),
		deliveries: f.NewCounterVec(prometheus.CounterOpts{Name: "tiaojie_work_order_deliveries_total",
			Help: "Work orders sent to staff apps; redelivery=true for unacknowledged ones sent again."}, []string{"redelivery"}),
		latency: f.NewHistogram(prometheus.HistogramOpts{Name: "tiaojie_work_order_delivery_seconds",
			Help:    "From the commit that published a work order to its first send on a staff socket.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}),
	}
}

func (m *StreamMetrics) connected(d float64) {
	if m != nil {
		m.connectedApps.Add(d)
	}
}

func (m *StreamMetrics) delivered(o *workorder.Order, redelivery bool) {
	if m == nil {
		return
	}
	if redelivery {
		m.deliveries.WithLabelValues("true").Inc()
		return
	}
	m.deliveries.WithLabelValues("false").Inc()
	if o.PublishedAt != nil {
		m.latency.Observe(time.Since(*o.PublishedAt).Seconds())
	}
}
